/**
 * Where patients are scored: worker threads (piscina, one scorer per thread) or, with `workers: 0`, the
 * calling thread (tests, small runs). Same function either way: worker.ts `scoreBatch`.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { FhirResource } from '../features/types.js';
import type { ScorerOptions } from './scorer.js';
import type { PatientScore } from './types.js';
import type { ScoreTask } from './worker.js';

export interface ScorePool {
  score(patients: FhirResource[][], now: Date): Promise<PatientScore[]>;
  close(): Promise<void>;
}

/** The worker module next to this one: compiled `.js`, or the `.ts` source under tsx (tests, vite-node). */
function workerModule(): { filename: string; execArgv: string[] } {
  const js = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return { filename: js.href, execArgv: [] };
  return { filename: new URL('./worker.ts', import.meta.url).href, execArgv: ['--import', 'tsx'] };
}

export async function openPool(workers: number, scorer: ScorerOptions): Promise<ScorePool> {
  if (workers <= 0) {
    const { openScorer } = await import('./scorer.js');
    const { scorePatient } = await import('./score-patient.js');
    const s = await openScorer(scorer);
    return {
      async score(patients, now) {
        const out: PatientScore[] = [];
        for (const p of patients) out.push(await scorePatient(s.deps, p, now));
        return out;
      },
      close: () => s.close(),
    };
  }
  const { filename, execArgv } = workerModule();
  const pool = new Piscina<ScoreTask, PatientScore[]>({
    filename,
    execArgv,
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
