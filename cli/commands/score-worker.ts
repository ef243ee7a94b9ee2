/**
 * `augur score-worker --queue <redis URL> [--prefix <p>] [--config <file>] [--concurrency <n>]` — a
 * population-scoring worker (src/population-queue/worker.ts): takes batches of patients that
 * `augur score --queue` enqueued, scores them with this machine's models and configuration, and stores
 * each patient's result once. Runs until SIGTERM or Ctrl-C (it finishes the batch in hand first).
 */
import type { Command } from 'commander';
import { startScoreWorker } from '../../src/population-queue/worker.js';
import { CliError } from '../errors.js';

interface WorkerOptions {
  queue: string;
  prefix?: string;
  config?: string;
  modelsDir?: string;
  concurrency: string;
  lockDurationMs?: string;
  stalledIntervalMs?: string;
  quiet?: boolean;
}

const positive = (v: string | undefined, name: string): number | undefined => {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new CliError(`${name} must be a positive integer`, 2);
  return Number(v);
};

export function register(program: Command): void {
  program
    .command('score-worker')
    .description('score batches of patients that `augur score --queue` put on a BullMQ queue (Redis)')
    .requiredOption('--queue <url>', 'the Redis URL of the queue, e.g. redis://127.0.0.1:6379/12')
    .option('--prefix <prefix>', 'BullMQ key prefix (the same as augur score --queue-prefix)', 'augur')
    .option('--config <file>', "the site's Augur config file (default $AUGUR_CONFIG)")
    .option('--models-dir <dir>', 'extra model package folders (default $AUGUR_MODELS_DIR)')
    .option('--concurrency <n>', 'batches scored at once by this process', '1')
    .option('--lock-duration-ms <ms>', "BullMQ job lock (a dead worker's batch is retried after it)")
    .option('--stalled-interval-ms <ms>', 'how often BullMQ looks for batches of dead workers')
    .option('--quiet', 'no line per batch')
    .action(async (o: WorkerOptions) => {
      const configFile = o.config ?? process.env['AUGUR_CONFIG'];
      const modelsDir = o.modelsDir ?? process.env['AUGUR_MODELS_DIR'];
      const lockDurationMs = positive(o.lockDurationMs, '--lock-duration-ms');
      const stalledIntervalMs = positive(o.stalledIntervalMs, '--stalled-interval-ms');
      let worker;
      try {
        worker = await startScoreWorker({
          url: o.queue,
          ...(o.prefix === undefined ? {} : { prefix: o.prefix }),
          scorer: {
            ...(configFile === undefined ? {} : { configFile }),
            ...(modelsDir === undefined ? {} : { modelsDir }),
          },
          concurrency: positive(o.concurrency, '--concurrency') ?? 1,
          ...(lockDurationMs === undefined ? {} : { lockDurationMs }),
          ...(stalledIntervalMs === undefined ? {} : { stalledIntervalMs }),
          onBatch: (e) => {
            if (o.quiet !== true)
              process.stdout.write(
                `batch ${e.job}: ${String(e.stored)} stored, ${String(e.skipped)} already stored\n`,
              );
          },
        });
      } catch (err) {
        throw new CliError(`score-worker: ${err instanceof Error ? err.message : String(err)}`, 1);
      }
      process.stdout.write(`score-worker ready (pid ${String(process.pid)})\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGTERM', resolve);
        process.once('SIGINT', resolve);
      });
      await worker.close();
    });
}
