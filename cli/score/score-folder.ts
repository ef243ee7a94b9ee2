/**
 * `augur score` over a folder of Bulk Data NDJSON — the one entry every input reaches: `--input` calls
 * it directly, and a Bulk Data download (`--fhir`) writes its files to a folder and then calls it.
 * Ctrl-C (SIGINT) stops cleanly: patients in flight finish and are recorded, the work folder stays,
 * `--resume` continues. A second Ctrl-C quits at once (the work folder still resumes: a record cut
 * short is dropped and that patient scored again).
 */
import { availableParallelism } from 'node:os';
import type { ScorePool } from '../../src/population/pool.js';
import { runPopulation, OUTPUT_FILES, RunError } from '../../src/population/run.js';
import type { Summary } from '../../src/population/summary.js';
import { CliError } from '../errors.js';
import { progressReporter } from './progress.js';

export interface ScoreFolderOptions {
  input: string;
  out: string;
  resume?: boolean;
  workers?: number;
  /** The site's config file (default: AUGUR_CONFIG). */
  config?: string;
  /** NDJSON megabytes per bucket (the memory bound of grouping). */
  bucketMb?: number;
  /** Score as of this moment (default: now). */
  now?: Date;
  /** Progress as a bar (default: when stderr is a terminal). */
  tty?: boolean;
  /** Score on BullMQ workers (`--queue`, src/population-queue) instead of local threads. */
  pool?: () => Promise<ScorePool>;
}

export async function scoreFolder(o: ScoreFolderOptions): Promise<Summary> {
  const stop = new AbortController();
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    process.stderr.write('\nstopping: finishing the patients in flight (Ctrl-C again to quit at once)…\n');
    stop.abort();
  };
  process.on('SIGINT', onSigint);
  const progress = progressReporter(o.tty ?? process.stderr.isTTY);
  const configFile = o.config ?? process.env['AUGUR_CONFIG'];
  const modelsDir = process.env['AUGUR_MODELS_DIR'];
  try {
    const result = await runPopulation({
      input: o.input,
      out: o.out,
      resume: o.resume === true,
      workers: o.workers ?? availableParallelism(),
      scorer: {
        ...(configFile === undefined ? {} : { configFile }),
        ...(modelsDir === undefined ? {} : { modelsDir }),
      },
      ...(o.bucketMb === undefined ? {} : { bucketBytes: Math.round(o.bucketMb * 1024 * 1024) }),
      ...(o.now === undefined ? {} : { now: o.now }),
      ...(o.pool === undefined ? {} : { pool: o.pool }),
      signal: stop.signal,
      onProgress: (p) => {
        progress.onProgress(p);
      },
    });
    progress.stop();
    if (result.status === 'interrupted')
      throw new CliError(
        `interrupted after ${String(result.done)} patients (${String(result.scoredThisRun)} in this run): run the same command with --resume to continue`,
      );
    const s = result.summary;
    process.stdout.write(
      `${String(s.patients.scored)} patients scored, ${String(s.patients.notScored)} not scored, ${String(s.patients.withGap)} with a care gap; ` +
        `${s.run.patientsPerSecond.toFixed(1)} patients/s, peak memory ${String(s.run.maxRssMB)} MB\n` +
        `wrote ${Object.values(OUTPUT_FILES).join(', ')} to ${o.out}\n`,
    );
    const problems = Object.entries(s.inputProblems.counts);
    if (problems.length > 0)
      process.stdout.write(
        `input lines left out: ${problems.map(([k, n]) => `${k} ${String(n)}`).join(', ')} (file and line in summary.json)\n`,
      );
    return s;
  } catch (err) {
    progress.stop();
    if (err instanceof RunError) throw new CliError(err.message);
    throw err;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
