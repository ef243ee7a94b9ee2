/**
 * The primary of a multi-worker Augur: forks the workers (each runs the whole service on the shared
 * port), replaces a worker that dies, and stops them all on SIGTERM/SIGINT. It also answers the
 * workers' requests for cluster-wide metrics (prom-client's AggregatorRegistry), so `GET /metrics`
 * on any worker reports every worker.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';
import { AggregatorRegistry } from 'prom-client';
import { METRICS_REQUEST, METRICS_RESPONSE, type MetricsRequest } from './messages.js';

/** More deaths than this within the window means a crash loop: stop instead of forking forever. */
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;

export function runPrimary(count: number, log: Logger): void {
  const aggregator = new AggregatorRegistry();
  let stopping = false;
  let exitCode = 0;
  const deaths: number[] = [];
  const listening = new WeakSet<Worker>();

  const fork = (): void => {
    const worker = cluster.fork();
    worker.on('listening', () => listening.add(worker));
    worker.on('message', (message: unknown) => {
      if (!isMetricsRequest(message)) return;
      aggregator.clusterMetrics().then(
        (text) => worker.send({ type: METRICS_RESPONSE, id: message.id, text }),
        (err: unknown) =>
          worker.send({
            type: METRICS_RESPONSE,
            id: message.id,
            error: err instanceof Error ? err.name : 'error',
          }),
      );
    });
  };

  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (code !== 0) exitCode = 1;
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        log.info({ reason: 'all workers stopped' }, 'stopped');
        process.exit(exitCode);
      }
      return;
    }
    // A worker that never listened failed its start-up (bad config, broken model): so would the others.
    if (!listening.has(worker)) {
      log.error({ code, reason: (signal as string | null) ?? 'exit' }, 'a worker failed to start: stopping');
      stopAll(1);
      return;
    }
    const now = Date.now();
    deaths.push(now);
    while (deaths.length > 0 && (deaths[0] ?? now) < now - RESTART_WINDOW_MS) deaths.shift();
    if (deaths.length > MAX_RESTARTS) {
      log.error({ count: deaths.length }, 'workers keep dying: stopping');
      stopAll(1);
      return;
    }
    log.error({ code, reason: (signal as string | null) ?? 'exit' }, 'a worker died: starting a replacement');
    fork();
  });

  const stopAll = (code: number): void => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    const workers = Object.values(cluster.workers ?? {});
    if (workers.length === 0) process.exit(code);
    for (const w of workers) w?.process.kill('SIGTERM');
  };
  process.on('SIGTERM', () => {
    log.info({ reason: 'SIGTERM' }, 'shutting down: stopping the workers');
    stopAll(0);
  });
  process.on('SIGINT', () => {
    log.info({ reason: 'SIGINT' }, 'shutting down: stopping the workers');
    stopAll(0);
  });

  log.info({ count }, 'starting workers');
  for (let i = 0; i < count; i++) fork();
}

function isMetricsRequest(m: unknown): m is MetricsRequest {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === METRICS_REQUEST;
}
