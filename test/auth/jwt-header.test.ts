/** Attack cases on the Authorization header and the JWS header (security.md's list, one test each). */
import { createHmac, createPublicKey } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompactSign, exportJWK, generateKeyPair } from 'jose';
import { forgeToken, startEhr } from '../support/ehr-signer.js';
import { expectRejected, harness, nowSeconds, SERVICE_URL, type Harness } from './fixture.js';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(async () => {
  await h.close();
});

const claims = () => ({
  iss: h.ehr.iss,
  aud: SERVICE_URL,
  iat: nowSeconds(),
  exp: nowSeconds() + 300,
  jti: crypto.randomUUID(),
});

describe('valid tokens (controls: the attack tests below differ from these in one thing)', () => {
  it.each(['ES384', 'RS384'] as const)('accepts a %s token and returns the caller', async (alg) => {
    const caller = await h.auth.authenticate(
      h.bearer(await h.ehr.sign({ aud: SERVICE_URL, alg, sub: 'Practitioner/1' })),
      SERVICE_URL,
    );
    expect(caller.iss).toBe(h.ehr.iss);
    expect(caller.sub).toBe('Practitioner/1');
    expect(caller.tenant).toBeUndefined();
    expect(caller.client.iss).toBe(h.ehr.iss);
  });

  it('accepts a lowercase scheme and typ "jwt"', async () => {
    const token = await h.ehr.sign({ aud: SERVICE_URL, typ: 'jwt' });
    await expect(h.auth.authenticate(`bearer ${token}`, SERVICE_URL)).resolves.toMatchObject({
      iss: h.ehr.iss,
    });
  });
});

describe('Authorization header', () => {
  it('refuses a missing header', async () => {
    await expectRejected(h.auth.authenticate(undefined, SERVICE_URL), /no authorization/);
  });

  it('refuses the Basic scheme', async () => {
    await expectRejected(h.auth.authenticate('Basic dXNlcjpwYXNz', SERVICE_URL), /not a bearer/);
  });

  it.each(['Bearer', 'Bearer ', 'Bearer    '])('refuses an empty bearer (%j)', async (value) => {
    await expectRejected(h.auth.authenticate(value, SERVICE_URL), /empty bearer/);
  });

  it.each([
    ['1 part', (t: string) => t.split('.')[0]!],
    ['2 parts', (t: string) => t.split('.').slice(0, 2).join('.')],
    ['4 parts', (t: string) => `${t}.AAAA`],
    ['an empty signature', (t: string) => `${t.split('.').slice(0, 2).join('.')}.`],
  ])('refuses a token with %s', async (_name, mangle) => {
    const token = mangle(await h.ehr.sign({ aud: SERVICE_URL }));
    await expectRejected(h.auth.authenticate(h.bearer(token), SERVICE_URL), /malformed/, token);
  });

  it('refuses a non-JSON header', async () => {
    const token = `${Buffer.from('{not json').toString('base64url')}.${Buffer.from(JSON.stringify(claims())).toString('base64url')}.c2ln`;
    await expectRejected(h.auth.authenticate(h.bearer(token), SERVICE_URL), /header is not JSON/);
  });

  it('refuses a non-JSON payload', async () => {
    const header = { alg: 'ES384', kid: h.ehr.keys.ES384.kid, typ: 'JWT' };
    const token = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from('payload').toString('base64url')}.c2ln`;
    await expectRejected(h.auth.authenticate(h.bearer(token), SERVICE_URL), /payload is not JSON/);
  });

  it('refuses a header that is JSON but not an object', async () => {
    const token = forgeToken(['ES384'], claims());
    await expectRejected(h.auth.authenticate(h.bearer(token), SERVICE_URL), /header is not a JSON object/);
  });

  it('refuses a huge (> 8 KiB) but validly signed token before parsing it', async () => {
    const token = await h.ehr.sign({ aud: SERVICE_URL, claims: { pad: 'x'.repeat(9000) } });
    await expectRejected(h.auth.authenticate(h.bearer(token), SERVICE_URL), /too large/, token);
  });
});

describe('alg', () => {
  it.each(['none', 'None', 'NONE'])('refuses alg %s (empty and non-empty signature)', async (alg) => {
    const header = { alg, kid: h.ehr.keys.ES384.kid, typ: 'JWT' };
    const withSig = forgeToken(header, claims());
    await expectRejected(h.auth.authenticate(h.bearer(withSig), SERVICE_URL), /alg none or HMAC/);
    const noSig = forgeToken(header, claims(), '');
    await expectRejected(h.auth.authenticate(h.bearer(noSig), SERVICE_URL), /malformed/);
  });

  it('refuses HS256 signed with the public key (PEM and JWK bytes) as the HMAC secret', async () => {
    const jwk = h.ehr.keys.RS384.publicJwk;
    const pem = createPublicKey({ key: jwk as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    for (const secret of [pem, JSON.stringify(jwk)]) {
      const header = { alg: 'HS256', kid: h.ehr.keys.RS384.kid, typ: 'JWT' };
      const signingInput = forgeToken(header, claims()).split('.').slice(0, 2).join('.');
      const sig = createHmac('sha256', secret).update(signingInput).digest();
      const token = `${signingInput}.${sig.toString('base64url')}`;
      await expectRejected(h.auth.authenticate(h.bearer(token), SERVICE_URL), /alg none or HMAC/, token);
    }
  });

  it.each(['HS384', 'HS512'])('refuses %s', async (alg) => {
    const token = forgeToken({ alg, kid: h.ehr.keys.RS384.kid, typ: 'JWT' }, claims());
    await expectRejected(h.auth.authenticate(h.bearer(token), SERVICE_URL), /alg none or HMAC/);
  });

  it.each(['RS256', 'PS256', 'RS512'])(
    'refuses %s, really signed by the EHR key, when only ES384/RS384 are allowed',
    async (alg) => {
      const token = await h.ehr.sign({ aud: SERVICE_URL, alg, key: 'RS384' });
      await expectRejected(h.auth.authenticate(h.bearer(token), SERVICE_URL), /alg not allowed/, token);
    },
  );

  it('refuses a header alg that differs from the JWK alg, even when the issuer allows both', async () => {
    const ehr = await startEhr();
    const jwk = ehr.keys.RS384.publicJwk; // published with alg RS384
    const { alg: _alg, ...bare } = jwk;
    const strict = await harness({ ehr, client: { jwks: { keys: [jwk] }, algorithms: ['RS384', 'RS256'] } });
    const loose = await harness({ ehr, client: { jwks: { keys: [bare] }, algorithms: ['RS384', 'RS256'] } });
    try {
      // The JWK's own key signs with RS256, but the JWK says RS384: refused.
      const token = await ehr.sign({ aud: SERVICE_URL, alg: 'RS256', key: 'RS384' });
      await expectRejected(strict.auth.authenticate(strict.bearer(token), SERVICE_URL), /jwk alg differs/);
      // Control: the same token is accepted when the JWK does not name an alg.
      await expect(loose.auth.authenticate(loose.bearer(token), SERVICE_URL)).resolves.toBeDefined();
    } finally {
      await Promise.all([strict.close(), loose.close()]);
      await ehr.stop();
    }
  });

  it('refuses an RSA kid named by an ES384 header (key type does not fit alg)', async () => {
    const ehr = await startEhr();
    const { alg: _alg, ...bare } = ehr.keys.RS384.publicJwk;
    const other = await harness({ ehr, client: { jwks: { keys: [bare] } } });
    try {
      const token = await ehr.sign({ aud: SERVICE_URL, alg: 'ES384', kid: bare.kid });
      await expectRejected(other.auth.authenticate(other.bearer(token), SERVICE_URL), /key does not fit alg/);
    } finally {
      await other.close();
      await ehr.stop();
    }
  });
});

describe('kid, typ, embedded keys', () => {
  it('refuses a missing kid', async () => {
    const token = await h.ehr.sign({ aud: SERVICE_URL, kid: undefined });
    await expectRejected(h.auth.authenticate(h.bearer(token), SERVICE_URL), /kid missing/);
  });

  it.each([undefined, 'at+jwt', 'application/jwt', ''])('refuses typ %j', async (typ) => {
    const token = await h.ehr.sign({ aud: SERVICE_URL, typ });
    await expectRejected(h.auth.authenticate(h.bearer(token), SERVICE_URL), /typ is not JWT/);
  });

  it('refuses an embedded jwk carrying the attacker key that signed the token', async () => {
    const attacker = await generateKeyPair('ES384', { extractable: true });
    const jwk = { ...(await exportJWK(attacker.publicKey)), kid: h.ehr.keys.ES384.kid };
    const token = await new CompactSign(new TextEncoder().encode(JSON.stringify(claims())))
      .setProtectedHeader({ alg: 'ES384', kid: jwk.kid, typ: 'JWT', jwk })
      .sign(attacker.privateKey);
    await expectRejected(h.auth.authenticate(h.bearer(token), SERVICE_URL), /jwk header refused/);
  });

  it.each([
    ['x5u', 'https://evil.example/cert.pem'],
    ['x5c', ['MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA']],
    ['crit', ['exp']],
  ])('refuses a %s header, even on a token the EHR really signed', async (name, value) => {
    const token = await h.ehr.sign({ aud: SERVICE_URL, header: { [name]: value } });
    await expectRejected(
      h.auth.authenticate(h.bearer(token), SERVICE_URL),
      new RegExp(`${name} header refused`),
    );
    expect(h.fetched.some((u) => u.includes('evil'))).toBe(false);
  });

  it('refuses a token whose signature has one flipped byte', async () => {
    for (const alg of ['ES384', 'RS384'] as const) {
      const token = await h.ehr.sign({ aud: SERVICE_URL, alg });
      const [head, body, sig] = token.split('.') as [string, string, string];
      const bytes = Buffer.from(sig, 'base64url');
      bytes[10] = bytes[10]! ^ 0x01;
      const flipped = `${head}.${body}.${bytes.toString('base64url')}`;
      await expectRejected(h.auth.authenticate(h.bearer(flipped), SERVICE_URL), /signature/, flipped);
      await expect(h.auth.authenticate(h.bearer(token), SERVICE_URL)).resolves.toBeDefined();
    }
  });

  it('refuses a payload swapped under a valid signature', async () => {
    const token = await h.ehr.sign({ aud: SERVICE_URL });
    const [head, , sig] = token.split('.') as [string, string, string];
    const swapped = `${head}.${Buffer.from(JSON.stringify({ ...claims(), sub: 'admin' })).toString('base64url')}.${sig}`;
    await expectRejected(h.auth.authenticate(h.bearer(swapped), SERVICE_URL), /signature/);
  });
});
