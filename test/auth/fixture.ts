/** Shared set-up for the auth tests: a real test EHR, an authenticator for it, and the one failure shape. */
import { expect } from 'vitest';
import type { TrustedClient } from '../../src/config/schema.js';
import { createAuthenticator, type AuthenticatorOptions } from '../../src/auth/jwt.js';
import { defaultFetchJwks } from '../../src/auth/jwks-fetch.js';
import { MemoryReplayCache, type ReplayCache } from '../../src/auth/replay-cache.js';
import { AuthError, type Authenticator } from '../../src/auth/types.js';
import { startEhr, type Ehr } from '../support/ehr-signer.js';
import { testLogger } from '../support/logs.js';

export const BASE = 'https://augur.example.org';
export const DISCOVERY_URL = `${BASE}/cds-services`;
export const SERVICE_URL = `${BASE}/cds-services/augur-risk`;
export const OTHER_SERVICE_URL = `${BASE}/cds-services/augur-other`;
export const LIMITS = { clockSkewSeconds: 60, maxTokenLifetimeSeconds: 3600 } as const;

/** The one body every authentication failure carries — written out, not derived from AuthError. */
export const FAILURE_OUTCOME_JSON = JSON.stringify({
  resourceType: 'OperationOutcome',
  issue: [{ severity: 'error', code: 'login', diagnostics: 'Authentication failed' }],
});

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/**
 * Asserts a rejection that looks exactly like every other one from outside (401, same body, same
 * headers), and — so a test cannot pass for the wrong reason — that the internal reason matches.
 */
export async function expectRejected(
  work: Promise<unknown>,
  reason: RegExp,
  token?: string,
): Promise<AuthError> {
  const err: unknown = await work.then(
    () => new Error('expected an AuthError, but authentication succeeded'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AuthError);
  const e = err as AuthError;
  expect(e.status).toBe(401);
  expect(JSON.stringify(e.outcome)).toBe(FAILURE_OUTCOME_JSON);
  expect(e.headers).toEqual({ 'WWW-Authenticate': 'Bearer' });
  expect(e.reason).toMatch(reason);
  if (token !== undefined) {
    expect(e.reason).not.toContain(token);
    expect(e.message).not.toContain(token);
  }
  return e;
}

export interface Harness {
  ehr: Ehr;
  auth: Authenticator;
  /** Every URL the authenticator fetched a JWKS from. */
  fetched: string[];
  clock: { ms: number };
  replayCache: ReplayCache;
  bearer(token: string): string;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Overrides for the EHR's TrustedClient; a function receives the EHR (for URLs on its port). */
  client?: Partial<TrustedClient> | ((ehr: Ehr) => Partial<TrustedClient>);
  extraClients?: TrustedClient[];
  replayCache?: ReplayCache;
  ehr?: Ehr;
  jwksCache?: AuthenticatorOptions['jwksCache'];
}

/** A test EHR and an authenticator trusting it, on a controllable clock (starts at the real time). */
export async function harness(options: HarnessOptions = {}): Promise<Harness> {
  const ehr = options.ehr ?? (await startEhr());
  const fetched: string[] = [];
  const clock = { ms: Date.now() };
  const replayCache = options.replayCache ?? new MemoryReplayCache({ now: () => clock.ms });
  const auth = createAuthenticator({
    clients: [
      ehr.trustedClient(typeof options.client === 'function' ? options.client(ehr) : options.client),
      ...(options.extraClients ?? []),
    ],
    limits: LIMITS,
    replayCache,
    fetchJwks: (url) => {
      fetched.push(url);
      return defaultFetchJwks(url);
    },
    now: () => clock.ms,
    log: testLogger(),
    ...(options.jwksCache === undefined ? {} : { jwksCache: options.jwksCache }),
  });
  return {
    ehr,
    auth,
    fetched,
    clock,
    replayCache,
    bearer: (token) => `Bearer ${token}`,
    close: async () => {
      await auth.close();
      if (options.ehr === undefined) await ehr.stop();
    },
  };
}
