/** Attack cases on the JWT claims: iss, aud, times, jti, tenant — and the boundaries that must pass. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignOptions } from '../support/ehr-signer.js';
import {
  DISCOVERY_URL,
  expectRejected,
  harness,
  nowSeconds,
  OTHER_SERVICE_URL,
  SERVICE_URL,
  type Harness,
} from './fixture.js';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(async () => {
  await h.close();
});

const attempt = async (o: Partial<SignOptions>, audience = SERVICE_URL) =>
  h.auth.authenticate(h.bearer(await h.ehr.sign({ aud: SERVICE_URL, ...o })), audience);

describe('iss', () => {
  it('refuses a missing iss', async () => {
    await expectRejected(attempt({ iss: undefined }), /iss missing or unknown/);
  });

  it.each(['https://evil.example', 'HTTP://127.0.0.1', '__proto__', 'constructor'])(
    'refuses an unknown iss %j',
    async (iss) => {
      await expectRejected(attempt({ iss }), /iss missing or unknown/);
    },
  );

  it('refuses a non-string iss', async () => {
    await expectRejected(attempt({ iss: [h.ehr.iss] }), /iss missing or unknown/);
  });
});

describe('aud (exact URL of the endpoint called)', () => {
  it('accepts aud as an array containing the endpoint URL', async () => {
    await expect(attempt({ aud: [OTHER_SERVICE_URL, SERVICE_URL] })).resolves.toBeDefined();
  });

  it('refuses a missing aud', async () => {
    await expectRejected(attempt({ aud: undefined }), /aud mismatch/);
  });

  it('refuses a token for another service', async () => {
    await expectRejected(attempt({ aud: OTHER_SERVICE_URL }), /aud mismatch/);
  });

  it('refuses a token for the discovery URL at the service URL, and vice versa', async () => {
    await expectRejected(attempt({ aud: DISCOVERY_URL }), /aud mismatch/);
    await expectRejected(attempt({ aud: SERVICE_URL }, DISCOVERY_URL), /aud mismatch/);
  });

  it('refuses a trailing slash (no normalisation)', async () => {
    await expectRejected(attempt({ aud: `${SERVICE_URL}/` }), /aud mismatch/);
  });

  it('refuses an array without the endpoint URL', async () => {
    await expectRejected(
      attempt({ aud: [OTHER_SERVICE_URL, DISCOVERY_URL, `${SERVICE_URL}/`] }),
      /aud mismatch/,
    );
  });

  it('refuses a case-changed or prefixed aud', async () => {
    await expectRejected(attempt({ aud: SERVICE_URL.toUpperCase() }), /aud mismatch/);
    await expectRejected(attempt({ aud: `${SERVICE_URL}-x` }), /aud mismatch/);
  });
});

describe('exp, iat, nbf (60 s skew, 1 h maximum lifetime)', () => {
  it('refuses a missing exp', async () => {
    await expectRejected(attempt({ exp: undefined }), /exp missing or not a number/);
  });

  it('refuses an exp in the past (beyond the skew)', async () => {
    const now = nowSeconds();
    await expectRejected(attempt({ iat: now - 400, exp: now - 61 }), /expired/);
  });

  it('refuses an exp given as a string', async () => {
    await expectRejected(attempt({ exp: String(nowSeconds() + 300) }), /exp missing or not a number/);
  });

  it('refuses a huge exp', async () => {
    await expectRejected(attempt({ exp: 1e300 }), /lifetime too long/);
    await expectRejected(attempt({ exp: Number.MAX_SAFE_INTEGER }), /lifetime too long/);
  });

  it('refuses a negative exp', async () => {
    await expectRejected(attempt({ exp: -1 }), /exp missing or not a number/);
  });

  it('refuses a lifetime over 1 h', async () => {
    const now = nowSeconds();
    await expectRejected(attempt({ iat: now, exp: now + 3601 }), /lifetime too long/);
  });

  it('accepts a lifetime of exactly 1 h (control)', async () => {
    const now = nowSeconds();
    await expect(attempt({ iat: now, exp: now + 3600 })).resolves.toBeDefined();
  });

  it('refuses exp before iat', async () => {
    const now = nowSeconds();
    await expectRejected(attempt({ iat: now, exp: now - 10 }), /exp before iat/);
  });

  it('refuses a missing or string iat', async () => {
    await expectRejected(attempt({ iat: undefined, exp: nowSeconds() + 300 }), /iat missing or not a number/);
    await expectRejected(attempt({ iat: String(nowSeconds()) }), /iat missing or not a number/);
  });

  it('refuses an iat in the future beyond the skew', async () => {
    const now = nowSeconds();
    await expectRejected(attempt({ iat: now + 120, exp: now + 300 }), /iat in the future/);
  });

  it('refuses an nbf in the future beyond the skew', async () => {
    const now = nowSeconds();
    await expectRejected(attempt({ iat: now, nbf: now + 120, exp: now + 300 }), /not yet valid/);
  });

  it('refuses a non-numeric nbf', async () => {
    await expectRejected(attempt({ nbf: 'yesterday' }), /nbf not a number/);
  });

  it('accepts Epic-style nbf 5 minutes before iat, 15-minute lifetime', async () => {
    const now = nowSeconds();
    await expect(attempt({ nbf: now - 300, iat: now, exp: now + 900, alg: 'RS384' })).resolves.toBeDefined();
  });

  it('boundary: accepts iat = now + 30 s', async () => {
    const now = nowSeconds();
    await expect(attempt({ iat: now + 30, exp: now + 330 })).resolves.toBeDefined();
  });

  it('boundary: accepts exp = now − 30 s', async () => {
    const now = nowSeconds();
    await expect(attempt({ iat: now - 330, exp: now - 30 })).resolves.toBeDefined();
  });

  it('boundary: accepts nbf = now + 30 s', async () => {
    const now = nowSeconds();
    await expect(attempt({ iat: now, nbf: now + 30, exp: now + 300 })).resolves.toBeDefined();
  });
});

describe('jti', () => {
  it('refuses a missing jti', async () => {
    await expectRejected(attempt({ jti: undefined }), /jti missing or invalid/);
  });

  it('refuses a non-string, empty or overlong jti', async () => {
    await expectRejected(attempt({ jti: 12345 }), /jti missing or invalid/);
    await expectRejected(attempt({ jti: '' }), /jti missing or invalid/);
    await expectRejected(attempt({ jti: 'j'.repeat(257) }), /jti missing or invalid/);
  });
});

describe('tenant', () => {
  let t: Harness;
  beforeAll(async () => {
    t = await harness({ client: { tenants: ['tenant-a', 'tenant-b'] } });
  });
  afterAll(async () => {
    await t.close();
  });
  const tenantAttempt = async (o: Partial<SignOptions>) =>
    t.auth.authenticate(t.bearer(await t.ehr.sign({ aud: SERVICE_URL, ...o })), SERVICE_URL);

  it('accepts a configured tenant and reports it', async () => {
    await expect(tenantAttempt({ tenant: 'tenant-b' })).resolves.toMatchObject({ tenant: 'tenant-b' });
  });

  it('refuses an unknown tenant', async () => {
    await expectRejected(tenantAttempt({ tenant: 'tenant-c' }), /tenant not allowed/);
  });

  it('refuses a missing tenant when the client lists tenants', async () => {
    await expectRejected(tenantAttempt({}), /tenant not allowed/);
  });

  it('refuses a non-string tenant', async () => {
    await expectRejected(tenantAttempt({ tenant: ['tenant-a'] }), /tenant not a string/);
  });
});
