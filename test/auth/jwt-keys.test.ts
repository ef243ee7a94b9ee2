/** Key selection: jku allowlist (SSRF), issuer/kid binding, the JWKS cache, its refetch budget and outages. */
import { afterEach, describe, expect, it } from 'vitest';
import { startEhr } from '../support/ehr-signer.js';
import { expectRejected, harness, SERVICE_URL, type Harness } from './fixture.js';

const open: Harness[] = [];
async function make(...args: Parameters<typeof harness>): Promise<Harness> {
  const h = await harness(...args);
  open.push(h);
  return h;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.close()));
});

const jkuOf = (baseUrl: string) => `${baseUrl}/jku/jwks.json`;

/** Signs at the harness clock, so tests that move the clock still sign fresh tokens. */
const signAt = (h: Harness, o: Parameters<Harness['ehr']['sign']>[0]) =>
  h.ehr.sign({ iat: Math.floor(h.clock.ms / 1000), ...o });

describe('jku', () => {
  const jkuHarness = () =>
    make({ client: (ehr) => ({ jku: [jkuOf(ehr.baseUrl), 'https://ehr.example.com/jwks.json'] }) });

  it('accepts a jku listed for the issuer, and fetches exactly that URL', async () => {
    const h = await jkuHarness();
    const jku = jkuOf(h.ehr.baseUrl);
    const token = await h.ehr.sign({ aud: SERVICE_URL, jku });
    await expect(h.auth.authenticate(h.bearer(token), SERVICE_URL)).resolves.toBeDefined();
    expect(h.fetched).toEqual([jku]);
  });

  it('accepts a jku equal to the issuer’s configured jwksUrl', async () => {
    const h = await make();
    const token = await h.ehr.sign({ aud: SERVICE_URL, jku: h.ehr.jwksUrl });
    await expect(h.auth.authenticate(h.bearer(token), SERVICE_URL)).resolves.toBeDefined();
  });

  it('refuses a jku not listed for the issuer, without fetching it', async () => {
    const h = await jkuHarness();
    const offList = `${h.ehr.baseUrl}/attacker/jwks.json`;
    const token = await h.ehr.sign({ aud: SERVICE_URL, jku: offList });
    await expectRejected(h.auth.authenticate(h.bearer(token), SERVICE_URL), /jku not configured/);
    expect(h.fetched).toEqual([]);
    expect(h.ehr.jwksRequests).toBe(0);
  });

  it('refuses jku host tricks (userinfo, suffix host, case, query, fragment, slash), fetching nothing', async () => {
    const h = await jkuHarness();
    const jku = jkuOf(h.ehr.baseUrl);
    const port = new URL(jku).port;
    const tricks = [
      'https://ehr@evil/',
      'https://ehr.example.com@evil.example/jwks.json',
      'https://ehr.example.com.evil/jwks.json',
      'https://ehr.example.com.evil.example/jwks.json',
      `http://127.0.0.1:${port}@evil.example/jku/jwks.json`,
      'HTTPS://EHR.EXAMPLE.COM/jwks.json',
      'https://ehr.example.com/jwks.json?x=https://evil.example',
      'https://ehr.example.com/jwks.json#frag',
      'https://ehr.example.com/jwks.json/',
      'https://ehr.example.com:443/jwks.json',
      ` ${jku}`,
      jku.replace('127.0.0.1', 'localhost'),
      jku.replace('/jku/', '/jku/../attacker/'),
    ];
    for (const trick of tricks) {
      const token = await h.ehr.sign({ aud: SERVICE_URL, jku: trick });
      await expectRejected(h.auth.authenticate(h.bearer(token), SERVICE_URL), /jku not configured/, token);
    }
    expect(h.fetched).toEqual([]);
  });

  it('refuses a non-string jku', async () => {
    const h = await make();
    const token = await h.ehr.sign({ aud: SERVICE_URL, jku: [h.ehr.jwksUrl] });
    await expectRejected(h.auth.authenticate(h.bearer(token), SERVICE_URL), /jku not a string/);
  });
});

describe('issuer and kid binding', () => {
  it("refuses issuer A's token carrying issuer B's kid (signed by B, or by A)", async () => {
    const b = await startEhr({ iss: 'https://ehr-b.example' });
    const a = await make({ extraClients: [b.client] });
    try {
      for (const key of ['ES384', 'RS384'] as const) {
        const signedByB = await b.sign({ aud: SERVICE_URL, iss: a.ehr.iss, key, kid: b.keys[key].kid });
        await expectRejected(a.auth.authenticate(a.bearer(signedByB), SERVICE_URL), /unknown kid/);
        const signedByA = await a.ehr.sign({ aud: SERVICE_URL, key, kid: b.keys[key].kid });
        await expectRejected(a.auth.authenticate(a.bearer(signedByA), SERVICE_URL), /unknown kid/);
      }
      // Control: B's own token is accepted by the same authenticator.
      await expect(
        a.auth.authenticate(a.bearer(await b.sign({ aud: SERVICE_URL })), SERVICE_URL),
      ).resolves.toMatchObject({
        iss: 'https://ehr-b.example',
      });
    } finally {
      await b.stop();
    }
  });

  it('refuses an unknown kid', async () => {
    const h = await make();
    const token = await h.ehr.sign({ aud: SERVICE_URL, kid: 'no-such-kid' });
    await expectRejected(h.auth.authenticate(h.bearer(token), SERVICE_URL), /unknown kid/);
  });

  it('uses a static JWKS without fetching anything', async () => {
    const ehr = await startEhr();
    const h = await make({ ehr, client: { jwks: { keys: [ehr.keys.ES384.publicJwk] } } });
    try {
      await expect(
        h.auth.authenticate(h.bearer(await ehr.sign({ aud: SERVICE_URL })), SERVICE_URL),
      ).resolves.toBeDefined();
      const rsa = await ehr.sign({ aud: SERVICE_URL, alg: 'RS384' }); // its key is not in the static set
      await expectRejected(h.auth.authenticate(h.bearer(rsa), SERVICE_URL), /unknown kid/);
      expect(h.fetched).toEqual([]);
    } finally {
      await ehr.stop();
    }
  });
});

describe('JWKS cache', () => {
  it('unknown-kid flood: at most one JWKS refetch per issuer per 30 s', async () => {
    const h = await make();
    await h.auth.warm();
    expect(h.ehr.jwksRequests).toBe(1);
    const flood = async (n: number) => {
      const tokens = await Promise.all(
        Array.from({ length: n }, (_, i) => signAt(h, { aud: SERVICE_URL, kid: `bogus-${i}` })),
      );
      const results = await Promise.allSettled(
        tokens.map((t) => h.auth.authenticate(h.bearer(t), SERVICE_URL)),
      );
      expect(results.every((r) => r.status === 'rejected')).toBe(true);
    };
    await flood(100);
    expect(h.ehr.jwksRequests).toBe(2);
    h.clock.ms += 29_000;
    await flood(50);
    expect(h.ehr.jwksRequests).toBe(2);
    h.clock.ms += 2_000;
    await flood(50);
    expect(h.ehr.jwksRequests).toBe(3);
  });

  it('picks up a rotated key through the unknown-kid refetch', async () => {
    const h = await make();
    const es = h.ehr.jwks.keys.splice(0, 1); // the EHR has not published its ES384 key yet
    await h.auth.warm();
    h.ehr.jwks.keys.push(...es);
    const token = await h.ehr.sign({ aud: SERVICE_URL, alg: 'ES384' });
    await expect(h.auth.authenticate(h.bearer(token), SERVICE_URL)).resolves.toBeDefined();
    expect(h.ehr.jwksRequests).toBe(2);
  });

  it('JWKS endpoint down and nothing cached: 401, and the endpoint is not hammered', async () => {
    const h = await make();
    h.ehr.down = true;
    const tokens = await Promise.all(Array.from({ length: 20 }, () => h.ehr.sign({ aud: SERVICE_URL })));
    for (const t of tokens)
      await expectRejected(h.auth.authenticate(h.bearer(t), SERVICE_URL), /jwks unavailable/);
    expect(h.ehr.jwksRequests).toBe(1);
  });

  it('JWKS endpoint gone (connection refused): 401', async () => {
    const ehr = await startEhr();
    const h = await make({ ehr });
    await ehr.stop();
    await expectRejected(
      h.auth.authenticate(h.bearer(await ehr.sign({ aud: SERVICE_URL })), SERVICE_URL),
      /jwks unavailable/,
    );
  });

  it('serves a stale JWKS during an outage only within the bounded window', async () => {
    const h = await make({ jwksCache: { ttlMs: 600_000, maxStaleMs: 3_600_000, failureBackoffMs: 0 } });
    await h.auth.warm();
    h.ehr.down = true;
    h.clock.ms += 11 * 60_000; // past the TTL: refetch fails, stale keys still used
    await expect(
      h.auth.authenticate(h.bearer(await signAt(h, { aud: SERVICE_URL })), SERVICE_URL),
    ).resolves.toBeDefined();
    h.clock.ms += 60 * 60_000; // past TTL + stale window: fail closed
    await expectRejected(
      h.auth.authenticate(h.bearer(await signAt(h, { aud: SERVICE_URL })), SERVICE_URL),
      /jwks unavailable/,
    );
    h.ehr.down = false; // recovery needs no restart
    await expect(
      h.auth.authenticate(h.bearer(await signAt(h, { aud: SERVICE_URL })), SERVICE_URL),
    ).resolves.toBeDefined();
  });

  it('warm() fetches every configured URL once, and never throws when they are down', async () => {
    const h = await make({ client: (ehr) => ({ jku: [jkuOf(ehr.baseUrl), ehr.jwksUrl] }) });
    await h.auth.warm();
    expect([...h.fetched].sort()).toEqual([h.ehr.jwksUrl, jkuOf(h.ehr.baseUrl)].sort());
    h.ehr.down = true;
    const down = await make({ ehr: h.ehr });
    await expect(down.auth.warm()).resolves.toBeUndefined();
    expect(down.fetched).toEqual([h.ehr.jwksUrl]);
  });
});
