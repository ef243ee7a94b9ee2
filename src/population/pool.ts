/**
 * Where patients are scored: worker threads (piscina, one scorer per thread) or, with `workers: 0`, the
 * calling thread (tests, small runs). Same function either way: worker.ts `scoreBatch`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { repoRoot } from '../config/paths.js';
import { Piscina } from 'piscina';
import type { FhirResource } from '../features/types.js';
import type { ScorerOptions } from './scorer.js';
import type { PatientScore } from './types.js';
import type { ScoreTask } from './worker.js';

export interface ScorePool {
  score(patients: FhirResource[][], now: Date): Promise<PatientScore[]>;
  close(): Promise<void>;
}

/**
 * The compiled worker module: next to this one when running from `dist/`, else (running the sources
 * under vite-node or vitest) the build's copy — worker threads cannot load TypeScript on Node 20
 * (a loader hook in a worker does not see the package interop the main thread does). `bin/augur.mjs`
 * and the bench build first; `npm run build` otherwise.
 */
function workerModule(): string {
  const here = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here.href;
  const built = join(repoRoot(), 'dist', 'src', 'population', 'worker.js');
  if (existsSync(built)) return pathToFileURL(built).href;
  throw new Error('worker threads need the compiled build (npm run build), or use 0 workers');
}

export async function openPool(workers: number, scorer: ScorerOptions): Promise<ScorePool> {
  if (workers <= 0) {
    const { openScorer } = await import('./scorer.js');
    const { scorePatients } = await import('./score-patient.js');
    const s = await openScorer(scorer);
    return {
      score: (patients, now) => scorePatients(s.deps, patients, now),
      close: () => s.close(),
    };
  }
  const pool = new Piscina<ScoreTask, PatientScore[]>({
    filename: workerModule(),
    minThreads: workers,
    maxThreads: workers,
    idleTimeout: 60_000,
    workerData: { scorer },
  });
  return {
    score: (patients, now) => pool.run({ patients, now: now.toISOString() }),
    close: () => pool.destroy(),
  };
}
