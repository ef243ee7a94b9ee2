/**
 * Progress of `augur score`: on a terminal a cli-progress bar on stderr (patients, patients/s, ETA);
 * otherwise one plain line at most every few seconds on stdout (CI logs, pipes). Counts only — never
 * a patient id.
 */
import { Presets, SingleBar } from 'cli-progress';
import type { Progress } from '../../src/population/run.js';

export interface ProgressReporter {
  onProgress(p: Progress): void;
  stop(): void;
}

export function progressReporter(tty: boolean, everyMs = 5000): ProgressReporter {
  const started = Date.now();
  let base: number | undefined; // patients already done by an interrupted run (--resume)
  const rate = (done: number): number => {
    base ??= done;
    return (done - base) / Math.max(0.001, (Date.now() - started) / 1000);
  };
  if (!tty) {
    let last = 0;
    let phase = '';
    return {
      onProgress(p) {
        const now = Date.now();
        if (p.phase === phase && p.phase === 'score' && now - last < everyMs && p.done !== p.total) return;
        phase = p.phase;
        last = now;
        if (p.phase === 'partition') process.stdout.write('reading the input files into buckets…\n');
        else if (p.phase === 'write') process.stdout.write('writing the outputs…\n');
        else
          process.stdout.write(
            `scored ${String(p.done)}${p.total === undefined ? '' : `/${String(p.total)}`} patients (${rate(p.done).toFixed(1)}/s)\n`,
          );
      },
      stop: () => undefined,
    };
  }
  const bar = new SingleBar(
    {
      format: 'scoring {bar} {value}/{total} patients | {rate}/s | ETA {eta_formatted} | {phase}',
      stream: process.stderr,
      hideCursor: true,
      etaBuffer: 200,
    },
    Presets.shades_classic,
  );
  let started_ = false;
  return {
    onProgress(p) {
      if (!started_ && p.total !== undefined) {
        bar.start(p.total, p.done, { rate: '0', phase: p.phase });
        started_ = true;
      }
      if (started_) bar.update(p.done, { rate: rate(p.done).toFixed(1), phase: p.phase });
    },
    stop: () => {
      if (started_) bar.stop();
    },
  };
}
