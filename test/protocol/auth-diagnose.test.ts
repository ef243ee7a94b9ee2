/**
 * POST /api/auth/diagnose on the real app: reasons in plain words only for a token that verifies against
 * the keys of a trusted client with `trace: true`; the one 401 body for everything else; rate-limited
 * like the unauthenticated paths.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair, SignJWT } from 'jose';
import { PUBLIC_BASE, startTestApp, type TestApp } from '../support/app.js';

const HOOK = '/cds-services/test-patient-view';
const URL_CALLED = `${PUBLIC_BASE}${HOOK}`;

async function hook401Body(t: TestApp): Promise<unknown> {
  const res = await request(t.app).post(HOOK).set('Authorization', 'Bearer x.y.z').send({}).expect(401);
  return res.body;
}

describe('diagnose for a client with trace: true', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ client: { trace: true } });
  });
  afterAll(async () => {
    await t.close();
  });

  const diagnose = (body: unknown) =>
    request(t.app)
      .post('/api/auth/diagnose')
      .send(body as object);

  it('good key, wrong aud: 200 with the aud it was and the aud Augur expects', async () => {
    const token = await t.ehr.sign({ aud: `http://localhost:8080${HOOK}` });
    const res = await diagnose({ token, url: `http://localhost:8080${HOOK}` }).expect(200);
    expect(res.body).toEqual({
      accepted: false,
      reasons: [
        `aud was http://localhost:8080${HOOK}, Augur expects ${URL_CALLED}; the URL called (http://localhost:8080${HOOK}) is not one of Augur's public URLs (publicBaseUrl)`,
      ],
    });
  });

  it('a trailing slash is named', async () => {
    const token = await t.ehr.sign({ aud: `${URL_CALLED}/` });
    const res = await diagnose({ token, url: URL_CALLED }).expect(200);
    expect(res.body).toEqual({
      accepted: false,
      reasons: [`aud was ${URL_CALLED}/, Augur expects ${URL_CALLED}`],
    });
  });

  it('expired, lifetime too long and no jti: every reason at once', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await t.ehr.sign({ aud: URL_CALLED, iat: now - 7300, exp: now - 100, jti: null });
    const res = await diagnose({ token, url: URL_CALLED }).expect(200);
    const body = res.body as { accepted: boolean; reasons: string[] };
    expect(body.accepted).toBe(false);
    expect(body.reasons).toHaveLength(3);
    expect(body.reasons[0]).toMatch(
      /^the token expired at \d{4}-.*Z \(Augur's clock: .*, 60 s skew allowed\)$/,
    );
    expect(body.reasons[1]).toBe('the token lives 7200 s (exp − iat); Augur accepts at most 3600 s');
    expect(body.reasons[2]).toMatch(/^jti is missing/);
  });

  it('iat and nbf in the future, tenant not a string', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await t.ehr.sign({
      aud: URL_CALLED,
      iat: now + 600,
      exp: now + 900,
      nbf: now + 600,
      tenant: 7,
    });
    const body = (await diagnose({ token, url: URL_CALLED }).expect(200)).body as { reasons: string[] };
    expect(body.reasons).toEqual([
      expect.stringMatching(/^iat .* is in the future/),
      expect.stringMatching(/^the token is not valid before .* \(nbf\)$/),
      'tenant is not a string',
    ]);
  });

  it('a good token: accepted, no reasons — and its jti is then spent, as a hook call would spend it', async () => {
    const token = await t.ehr.sign({ aud: URL_CALLED });
    expect((await diagnose({ token, url: URL_CALLED }).expect(200)).body).toEqual({
      accepted: true,
      reasons: [],
    });
    const again = (await diagnose({ token, url: URL_CALLED }).expect(200)).body as { reasons: string[] };
    expect(again.reasons).toEqual([expect.stringMatching(/^jti .* was already used \(replay\)/)]);
    await request(t.app).post(HOOK).set('Authorization', `Bearer ${token}`).send({}).expect(401);
  });

  it('a token already used for a hook call: jti replay', async () => {
    const token = await t.ehr.sign({ aud: URL_CALLED });
    const call = await request(t.app).post(HOOK).set('Authorization', `Bearer ${token}`).send({});
    expect(call.status).not.toBe(401);
    const res = await diagnose({ token, url: URL_CALLED }).expect(200);
    expect(res.body).toEqual({
      accepted: false,
      reasons: [expect.stringMatching(/was already used \(replay\): sign a new token/)],
    });
  });

  it('alg not allowed for the issuer is named (the key still proves the caller)', async () => {
    const strict = await startTestApp({ client: { trace: true, algorithms: ['ES384'] } });
    try {
      const token = await strict.ehr.sign({ aud: URL_CALLED, alg: 'RS384' });
      const res = await request(strict.app)
        .post('/api/auth/diagnose')
        .send({ token, url: URL_CALLED })
        .expect(200);
      expect(res.body).toEqual({
        accepted: false,
        reasons: [`alg RS384 is not allowed for ${strict.ehr.iss} (allowed: ES384)`],
      });
    } finally {
      await strict.close();
    }
  });

  it('a signature from another key (same iss and kid): the one 401', async () => {
    const { privateKey } = await generateKeyPair('ES384');
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ aud: URL_CALLED, jti: 'forged' })
      .setProtectedHeader({ alg: 'ES384', typ: 'JWT', kid: t.ehr.keys.ES384.kid })
      .setIssuer(t.ehr.iss)
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(privateKey);
    const res = await diagnose({ token, url: URL_CALLED }).expect(401);
    expect(res.body).toEqual(await hook401Body(t));
  });

  it('garbage, a body that is not the contract, a bad url: the one 401', async () => {
    const expected = await hook401Body(t);
    const token = await t.ehr.sign({ aud: URL_CALLED });
    for (const body of [
      { token: 'not-a-jwt', url: URL_CALLED },
      { token: 'a.b.c', url: URL_CALLED },
      { token },
      { token, url: 'not a url' },
      { token, url: 'ftp://augur.test/cds-services/x' },
      { jwt: token, url: URL_CALLED },
      [token],
    ]) {
      const res = await diagnose(body).expect(401);
      expect(res.body).toEqual(expected);
    }
    const raw = await request(t.app)
      .post('/api/auth/diagnose')
      .set('content-type', 'application/json')
      .send('{"token": ')
      .expect(400);
    expect(raw.body).toMatchObject({ resourceType: 'OperationOutcome' });
  });

  it('GET is 405 with Allow', async () => {
    const res = await request(t.app).get('/api/auth/diagnose').expect(405);
    expect(res.headers['allow']).toBe('POST, OPTIONS');
  });
});

describe('diagnose for a client without trace', () => {
  it('a valid token of a trusted client without trace: true gets the one 401', async () => {
    const t = await startTestApp();
    try {
      const token = await t.ehr.sign({ aud: `http://localhost:8080${HOOK}` });
      const res = await request(t.app)
        .post('/api/auth/diagnose')
        .send({ token, url: `http://localhost:8080${HOOK}` })
        .expect(401);
      expect(res.body).toEqual(await hook401Body(t));
      expect(res.headers['www-authenticate']).toBe('Bearer');
    } finally {
      await t.close();
    }
  });

  it('is rate-limited like the unauthenticated paths: 429 once the per-IP failure budget is spent', async () => {
    const t = await startTestApp({ file: { limits: { unauthenticatedPerIpPerMinute: 3 } } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++)
        statuses.push(
          (await request(t.app).post('/api/auth/diagnose').send({ token: 'x', url: 'y' })).status,
        );
      expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
      expect(statuses.at(-1)).toBe(429);
    } finally {
      await t.close();
    }
  });
});
