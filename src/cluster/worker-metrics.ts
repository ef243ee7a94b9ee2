/**
 * In a worker: `GET /metrics` asks the primary for every worker's metrics summed (prom-client's
 * AggregatorRegistry collects each worker's `metricsRegistry` over IPC). In a single process: this
 * process's own registry.
 */
import cluster from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import { metricsRegistry } from '../monitoring/metrics.js';
import { METRICS_REQUEST, METRICS_RESPONSE, type MetricsResponse } from './messages.js';

const TIMEOUT_MS = 5_000;
let nextId = 0;
let wired = false;
const pending = new Map<number, (r: MetricsResponse) => void>();

/** Called once in each worker: answer the primary's collection requests with `metricsRegistry`. */
function wire(): void {
  if (wired) return;
  wired = true;
  AggregatorRegistry.setRegistries([metricsRegistry]);
  new AggregatorRegistry(); // installs prom-client's worker-side listener
  process.on('message', (m: unknown) => {
    const r = m as Partial<MetricsResponse> | null;
    if (r?.type !== METRICS_RESPONSE || typeof r.id !== 'number') return;
    pending.get(r.id)?.(r as MetricsResponse);
    pending.delete(r.id);
  });
}

if (cluster.isWorker) wire();

export async function clusterMetricsText(): Promise<string> {
  if (!cluster.isWorker || process.send === undefined) return metricsRegistry.metrics();
  const id = ++nextId;
  const answer = new Promise<MetricsResponse>((resolve, reject) => {
    const timer = setTimeout(() => {
      pending.delete(id);
      reject(new Error('the primary did not answer the metrics request'));
    }, TIMEOUT_MS);
    pending.set(id, (r) => {
      clearTimeout(timer);
      resolve(r);
    });
  });
  process.send({ type: METRICS_REQUEST, id });
  const r = await answer;
  if (r.text === undefined) throw new Error(`cluster metrics failed (${r.error ?? 'unknown'})`);
  return r.text;
}
