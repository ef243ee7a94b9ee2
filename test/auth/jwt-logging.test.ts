/** Tokens and attacker-chosen text never reach the logs; rejections are still logged with a reason. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CANARY } from '../support/log-canary.js';
import { LOG_DIR, testLogger } from '../support/logs.js';
import { expectRejected, harness, SERVICE_URL, type Harness } from './fixture.js';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(async () => {
  await h.close();
});

it('logs rejections with a reason and the configured iss, but never the token or attacker-chosen values', async () => {
  testLogger().flush();
  const logFile = join(LOG_DIR, `worker-${process.pid}.ndjson`);
  const before = readFileSync(logFile, 'utf8').length;
  const tokens = await Promise.all([
    h.ehr.sign({ aud: SERVICE_URL, iss: `https://${CANARY.accessToken}.example` }),
    h.ehr.sign({ aud: SERVICE_URL, kid: CANARY.accessToken }),
    h.ehr.sign({ aud: SERVICE_URL, jku: `https://${CANARY.accessToken}.example/jwks` }),
    h.ehr.sign({
      aud: SERVICE_URL,
      jti: CANARY.accessToken,
      sub: CANARY.mrn,
      tenant: CANARY.patientName,
      exp: 1,
    }),
  ]);
  for (const t of tokens) await expectRejected(h.auth.authenticate(h.bearer(t), SERVICE_URL), /./, t);
  const ok = await h.ehr.sign({ aud: SERVICE_URL, jti: CANARY.accessToken, sub: CANARY.mrn });
  await h.auth.authenticate(h.bearer(ok), SERVICE_URL);
  await expectRejected(h.auth.authenticate(`Bearer ${CANARY.accessToken}`, SERVICE_URL), /malformed/);

  const written = readFileSync(logFile, 'utf8').slice(before);
  expect(written).toContain('"reason":"iss missing or unknown"');
  expect(written).toContain(`"iss":"${h.ehr.iss}"`);
  for (const secret of [...tokens, ok, CANARY.accessToken, CANARY.mrn, CANARY.patientName]) {
    expect(written).not.toContain(secret);
  }
});
