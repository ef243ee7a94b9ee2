/**
 * Builds a real Augur app for route tests: real config validation, a real embedded store, the real
 * authenticator trusting a real test EHR (ES384/RS384 keys served over HTTP on 127.0.0.1).
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express, Router } from 'express';
import { createApp, type AppDeps } from '../../src/app.js';
import { validateFileConfig } from '../../src/config/load.js';
import { EnvSchema, type Config, type TrustedClient } from '../../src/config/schema.js';
import { createAuthenticator } from '../../src/auth/jwt.js';
import type { FetchJwks } from '../../src/auth/jwks-fetch.js';
import { unauthenticatedLoopback } from '../../src/auth/unauthenticated.js';
import { MemoryReplayCache } from '../../src/auth/replay-cache.js';
import { MemoryRateLimiter } from '../../src/auth/rate-limit.js';
import { Readiness } from '../../src/http/readiness.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import type { CdsService } from '../../src/cds/service.js';
import { startEhr, type Ehr, type SignOptions } from './ehr-signer.js';
import { testLogger } from './logs.js';
import { TEST_SERVICES } from './test-services.js';

export const PUBLIC_BASE = 'https://augur.test';

export interface TestApp {
  app: Express;
  config: Config;
  ehr: Ehr;
  store: Store;
  readiness: Readiness;
  /** A signed JWT for the given path under the public base, e.g. `/cds-services/test-patient-view`. */
  token(path: string, overrides?: Partial<SignOptions>): Promise<string>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  file?: Record<string, unknown>;
  client?: Partial<TrustedClient>;
  /** Services to register; a function receives the validated config (to build service deps from it). */
  services?: readonly CdsService[] | ((config: Config) => readonly CdsService[]);
  /** Extra routers (e.g. the results API), built from the validated config and the store. */
  routers?: (config: Config, store: Store) => Router[];
  unauthenticated?: boolean;
  /** The app's clock (createApp's `now`), e.g. to move past a suppression period. Default: real time. */
  now?: () => Date;
  /** How the authenticator fetches JWKS (default: the real fetcher). */
  fetchJwks?: FetchJwks;
  /** createApp's systemActions hook, built from the validated config (e.g. src/fhir-results systemActionsFor). */
  systemActions?: (config: Config) => AppDeps['systemActions'];
  /** createApp's population runner (src/population-api), built from the validated config. */
  populations?: (config: Config) => NonNullable<AppDeps['populations']>;
}

export async function startTestApp(o: TestAppOptions = {}): Promise<TestApp> {
  const ehr = await startEhr();
  const file = validateFileConfig(
    {
      publicBaseUrl: PUBLIC_BASE,
      clients: [ehr.trustedClient(o.client)],
      allowInsecureFhirServers: true,
      ...o.file,
    },
    'test config',
  );
  const config: Config = { ...file, env: EnvSchema.parse({ NODE_ENV: 'test' }), assertResponses: true };
  const dir = mkdtempSync(join(tmpdir(), 'augur-app-'));
  const template = process.env['AUGUR_TEST_PGLITE_TEMPLATE'];
  if (template !== undefined) cpSync(template, dir, { recursive: true });
  const store = await openStore({ dataDir: dir });
  const log = testLogger();
  const limiter = new MemoryRateLimiter();
  const verifier = createAuthenticator({
    clients: config.clients,
    limits: config.limits,
    replayCache: new MemoryReplayCache(),
    log,
    ...(o.fetchJwks === undefined ? {} : { fetchJwks: o.fetchJwks }),
  });
  const authenticator = o.unauthenticated === true ? unauthenticatedLoopback(verifier) : verifier;
  const readiness = new Readiness();
  readiness.done();
  const app = createApp(config, {
    store,
    authenticator,
    limiter,
    services: typeof o.services === 'function' ? o.services(config) : (o.services ?? TEST_SERVICES),
    readiness,
    log,
    ...(o.now === undefined ? {} : { now: o.now }),
    ...(o.routers === undefined ? {} : { routers: o.routers(config, store) }),
    ...(o.systemActions === undefined ? {} : { systemActions: o.systemActions(config) }),
    ...(o.populations === undefined ? {} : { populations: o.populations(config) }),
  });
  return {
    app,
    config,
    ehr,
    store,
    readiness,
    token: (path, overrides = {}) => ehr.sign({ aud: `${PUBLIC_BASE}${path}`, ...overrides }),
    async close() {
      await authenticator.close();
      await limiter.close();
      await store.close();
      await ehr.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
