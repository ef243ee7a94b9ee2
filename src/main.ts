/**
 * Augur's entry point: load config → open the store → build the app → listen → load the models
 * (readiness 503 until done) → on SIGTERM/SIGINT: readiness 503 at once, finish in-flight requests,
 * close everything, exit 0 (or 1 if the grace period runs out).
 */
import cluster from 'node:cluster';
import { createServer } from 'node:http';
import { availableParallelism } from 'node:os';
import { Redis } from 'ioredis';
import { ConfigError, loadConfig } from './config/load.js';
import type { Config } from './config/schema.js';
import { createLogger, errorFields } from './log/logger.js';
import { openStore } from './store/index.js';
import { createAuthenticator } from './auth/jwt.js';
import { unauthenticatedLoopback } from './auth/unauthenticated.js';
import { MemoryReplayCache, RedisReplayCache } from './auth/replay-cache.js';
import { MemoryRateLimiter, RedisRateLimiter } from './auth/rate-limit.js';
import { Readiness } from './http/readiness.js';
import { createApp } from './app.js';
import { fhirPopulationRunner } from './population-api/runner.js';
import { modelDirs, startModelRegistry } from './models/startup.js';
import { modelsRouter } from './models/api.js';
import { clinicalServices } from './services/index.js';
import { serviceDeps } from './services/deps.js';
import { smartRouters } from './smart/index.js';
import { systemActionsFor } from './fhir-results/system-actions.js';
import { metricsRouter } from './monitoring/routes.js';
import { interventionsRouter, loadCpicIntervention } from './transparency/interventions.js';
import { timedStore } from './monitoring/store-timing.js';
import type { Logger } from 'pino';
import { runPrimary } from './cluster/primary.js';
import { planWorkers, type WorkerPlan } from './cluster/workers.js';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

function announce(config: Config, log: Logger): void {
  if (config.allowInsecureFhirServers) {
    log.warn(
      { setting: 'allowInsecureFhirServers' },
      'plain-http FHIR servers are allowed: for local testing only',
    );
  }
  if (config.allowUnauthenticatedLoopback) {
    if (!LOOPBACK_HOSTS.has(config.env.HOST)) {
      throw new ConfigError('allowUnauthenticatedLoopback: only allowed when HOST is a loopback address');
    }
    log.warn(
      { setting: 'allowUnauthenticatedLoopback' },
      '*** UNAUTHENTICATED MODE: calls without a JWT are accepted (loopback only). Never use this in production. ***',
    );
  }
  if (config.env.AUGUR_CONFIG === undefined) {
    log.info(
      { setting: 'embedded-default' },
      'no AUGUR_CONFIG: trusting the public cds-hooks sandbox issuer only',
    );
  }
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

async function main(): Promise<void> {
  let config = loadConfig();
  const rootLog = createLogger({ level: config.env.LOG_LEVEL });
  let plan: WorkerPlan;
  try {
    plan = planWorkers(config.env, availableParallelism());
  } catch (err) {
    throw new ConfigError(err instanceof Error ? err.message : String(err));
  }
  if (cluster.isPrimary && plan.count > 1) {
    announce(config, rootLog);
    rootLog.info({ count: plan.count, reason: plan.reason }, 'workers');
    runPrimary(plan.count, rootLog);
    return;
  }
  const log = cluster.isWorker ? rootLog.child({ worker: cluster.worker?.id ?? 0 }) : rootLog;
  if (cluster.isPrimary) {
    announce(config, log);
    log.info({ count: 1, reason: plan.reason }, 'workers');
  }

  const readiness = new Readiness();
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

  // Listen before building the app: with PORT=0 the default public URL (card links, JWT aud) is the
  // port actually bound. No request is handled until the app is attached below, in the same tick.
  const server = createServer({ maxHeaderSize: config.limits.headerBytes });
  await new Promise<void>((resolve) => server.listen(config.env.PORT, config.env.HOST, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.env.PORT;
  if (port !== config.env.PORT) config = loadConfig({ ...process.env, PORT: String(port) });

  readiness.waitFor('models');
  const models = startModelRegistry({
    dirs: modelDirs({ AUGUR_MODELS_DIR: config.env.AUGUR_MODELS_DIR }),
    onBroken: config.env.AUGUR_ON_BROKEN_MODEL,
    log,
  });
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
      ...metricsRouter({ token: config.env.AUGUR_METRICS_TOKEN, store }),
      interventionsRouter([loadCpicIntervention()]),
    ],
  });
  server.on('request', app);
  log.info({ host: config.env.HOST, port }, 'Augur listening');

  await authenticator.warm();
  readiness.done();
  const registry = await models.loaded; // a refused start rejects here and exits 1 with the reasons
  readiness.done('models');
  log.info({ count: registry.list().length }, 'models loaded');

  // Results behind cards are retrievable until they expire; then they are deleted (hourly, and now).
  const purge = (): void => {
    store.deleteExpiredResults(new Date()).then(
      (count) => {
        if (count > 0) log.info({ count }, 'expired results deleted');
      },
      (err: unknown) => {
        log.warn(errorFields(err), 'could not delete expired results');
      },
    );
  };
  purge();
  const purgeTimer = setInterval(purge, 3_600_000);
  purgeTimer.unref();

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    readiness.drain();
    clearInterval(purgeTimer);
    log.info({ reason: signal }, 'shutting down: draining in-flight requests');
    const timer = setTimeout(() => {
      log.error({ reason: 'grace period elapsed' }, 'forced exit');
      process.exit(1);
    }, config.limits.drainDelayMs + config.limits.shutdownGraceMs);
    timer.unref();
    setTimeout(() => {
      closeServer(signal);
    }, config.limits.drainDelayMs);
  };
  const closeServer = (signal: string): void => {
    server.close(() => {
      void (async () => {
        await authenticator.close();
        await limiter.close();
        await store.close();
        await (await models.loaded).close();
        redis?.disconnect();
        log.info({ reason: signal }, 'stopped');
        process.exit(0);
      })();
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => {
    stop('SIGTERM');
  });
  process.on('SIGINT', () => {
    stop('SIGINT');
  });
}

main().catch((err: unknown) => {
  const message =
    err instanceof ConfigError ? err.message : `start-up failed: ${errorFields(err).errorMessage}`;
  process.stderr.write(`augur: ${message}\n`);
  process.exit(1);
});
