/**
 * `buildAugur(config, overrides)`: the production wiring, in one place — the store (PostgreSQL when
 * DATABASE_URL is set, else embedded), Redis (when REDIS_URL is set) for the JWT replay cache and the
 * rate limits (else in memory), the authenticator, the model registry, the clinical services, the
 * routers, and `createApp`. Used by src/main.ts (the server) and by `augur invoke`'s in-process Augur,
 * so both run the same application. It does not listen: the caller owns the HTTP server.
 */
import type { Express } from 'express';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createApp } from './app.js';
import { createAuthenticator } from './auth/jwt.js';
import { MemoryRateLimiter, RedisRateLimiter, type RateLimiter } from './auth/rate-limit.js';
import { MemoryReplayCache, RedisReplayCache } from './auth/replay-cache.js';
import type { Authenticator } from './auth/types.js';
import { unauthenticatedLoopback } from './auth/unauthenticated.js';
import type { Config } from './config/schema.js';
import { systemActionsFor } from './fhir-results/system-actions.js';
import { Readiness } from './http/readiness.js';
import { modelsRouter } from './models/api.js';
import { fhirPopulationRunner } from './population-api/runner.js';
import { modelDirs, startModelRegistry, type ModelRegistryHandle } from './models/startup.js';
import { distributionsOf, type Distributions } from './monitoring/drift.js';
import { metricsRouter } from './monitoring/routes.js';
import { timedStore } from './monitoring/store-timing.js';
import { clinicalServices } from './services/index.js';
import { serviceDeps } from './services/deps.js';
import { smartRouters } from './smart/index.js';
import { openStore } from './store/index.js';
import type { Store } from './store/types.js';
import { interventionsRouter, loadCpicIntervention } from './transparency/interventions.js';

export interface BuildOverrides {
  log: Logger;
  /** Readiness to report into (default: a new one). The models' readiness is tracked as `models`. */
  readiness?: Readiness;
}

export interface BuiltAugur {
  app: Express;
  store: Store;
  authenticator: Authenticator;
  limiter: RateLimiter;
  readiness: Readiness;
  /** The model registry loading in the background: `models.loaded` resolves when every model is ready. */
  models: ModelRegistryHandle;
  /** Each loaded model's development distribution (input drift); empty until the models are loaded. */
  distributions: () => Distributions;
  /** Closes what the build opened: authenticator, limiter, store, models, Redis. */
  close: () => Promise<void>;
}

/**
 * Without an `error` listener ioredis prints every failed reconnect to stderr, unstructured. Say once,
 * in the log, that Redis is gone and what that means, and once that it is back.
 */
function watchRedis(redis: Redis, log: Logger): void {
  let down = false;
  redis.on('error', (err: unknown) => {
    if (down) return;
    down = true;
    log.error(
      { reason: 'redis unavailable', errorType: err instanceof Error ? err.name : typeof err },
      'Redis unavailable: JWTs are refused (replay cache fails closed) and calls throttled until it is back',
    );
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    log.info({ reason: 'redis available' }, 'Redis connection restored');
  });
}

export async function buildAugur(config: Config, overrides: BuildOverrides): Promise<BuiltAugur> {
  const { log } = overrides;
  const readiness = overrides.readiness ?? new Readiness();
  const store = timedStore(
    await openStore({
      dataDir: config.env.AUGUR_DATA_DIR,
      ...(config.env.DATABASE_URL === undefined ? {} : { databaseUrl: config.env.DATABASE_URL }),
      onMigrated: (versions) => {
        log.info({ count: versions.length }, 'database schema migrated');
      },
    }),
  );
  const redis =
    config.env.REDIS_URL === undefined
      ? undefined
      : new Redis(config.env.REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 1 });
  if (redis !== undefined) watchRedis(redis, log);
  const replayCache = redis === undefined ? new MemoryReplayCache() : new RedisReplayCache(redis);
  const limiter = redis === undefined ? new MemoryRateLimiter() : new RedisRateLimiter(redis);
  const verifier = createAuthenticator({ clients: config.clients, limits: config.limits, replayCache, log });
  const authenticator = config.allowUnauthenticatedLoopback ? unauthenticatedLoopback(verifier) : verifier;

  readiness.waitFor('models');
  const models = startModelRegistry({
    dirs: modelDirs({ AUGUR_MODELS_DIR: config.env.AUGUR_MODELS_DIR }),
    onBroken: config.env.AUGUR_ON_BROKEN_MODEL,
    log,
  });
  let distributions: Distributions = new Map();
  void models.loaded.then(
    (registry) => {
      distributions = distributionsOf(registry);
      readiness.done('models');
    },
    () => undefined, // a refused start: the caller awaits `models.loaded` and reports it
  );
  const app = createApp(config, {
    store,
    authenticator,
    limiter,
    services: clinicalServices(serviceDeps(config, models)),
    readiness,
    log,
    ...(config.fhirResults.systemActions ? { systemActions: systemActionsFor(config, models) } : {}),
    ...(config.populations.enabled ? { populations: fhirPopulationRunner(config) } : {}),
    routers: [
      modelsRouter(models, { limiter, perIpPerMinute: config.limits.evaluatePerIpPerMinute }),
      ...smartRouters({ config, store, limiter, models, log }),
      ...metricsRouter({
        token: config.env.AUGUR_METRICS_TOKEN,
        store,
        distributions: () => distributions,
        ...(config.monitoring.admin === undefined
          ? {}
          : { admin: { config: config.monitoring.admin, publicBaseUrl: config.publicBaseUrl } }),
      }),
      interventionsRouter([loadCpicIntervention()]),
    ],
  });
  return {
    app,
    store,
    authenticator,
    limiter,
    readiness,
    models,
    distributions: () => distributions,
    close: async () => {
      await authenticator.close();
      await limiter.close();
      await store.close();
      await models.loaded.then(
        (registry) => registry.close(),
        () => undefined,
      );
      redis?.disconnect();
    },
  };
}
