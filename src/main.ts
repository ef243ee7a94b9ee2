/**
 * Augur's entry point: load config → open the store → build the app → listen → load the models
 * (readiness 503 until done) → on SIGTERM/SIGINT: readiness 503 at once, finish in-flight requests,
 * close everything, exit 0 (or 1 if the grace period runs out).
 */
import cluster from 'node:cluster';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { availableParallelism } from 'node:os';
import { ConfigError, loadConfig } from './config/load.js';
import type { Config } from './config/schema.js';
import { createLogger, errorFields } from './log/logger.js';
import type { Logger } from 'pino';
import { buildAugur } from './build.js';
import { startDriftJob, type DriftJob } from './monitoring/drift.js';
import { operationOutcome } from './http/errors.js';
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

/** The answer while the store opens, before the app is attached: 503, try again shortly. */
function starting(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(503, { 'content-type': 'application/fhir+json', 'retry-after': '1' });
  res.end(JSON.stringify(operationOutcome([{ code: 'transient', diagnostics: 'Augur is starting' }])));
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

  // Listen before building the app: with PORT=0 the default public URL (card links, JWT aud) is the
  // port actually bound. Until the app is attached (the store is open), every request is answered 503.
  const server = createServer({ maxHeaderSize: config.limits.headerBytes });
  server.on('request', starting);
  await new Promise<void>((resolve) => server.listen(config.env.PORT, config.env.HOST, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.env.PORT;
  if (port !== config.env.PORT) config = loadConfig({ ...process.env, PORT: String(port) });

  const { app, authenticator, readiness, models, store, distributions, close } = await buildAugur(config, {
    log,
  });
  server.off('request', starting);
  server.on('request', app);
  log.info({ host: config.env.HOST, port }, 'Augur listening');

  await authenticator.warm();
  readiness.done();
  const registry = await models.loaded; // a refused start rejects here and exits 1 with the reasons
  log.info({ count: registry.list().length }, 'models loaded');

  // Input drift: stored results are counted into development-distribution bins every 10 minutes.
  const drift: DriftJob = startDriftJob({ store, distributions: distributions(), log });

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
    drift.stop();
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
        await close();
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
