/**
 * A piscina worker thread: opens its own scorer once (its own onnxruntime sessions) and scores a batch
 * of patients per task. Tasks and answers are plain JSON (structured clone).
 */
import { workerData } from 'node:worker_threads';
import type { FhirResource } from '../features/types.js';
import { scorePatients } from './score-patient.js';
import { openScorer, type Scorer, type ScorerOptions } from './scorer.js';
import type { PatientScore } from './types.js';

export interface ScoreTask {
  patients: FhirResource[][];
  now: string;
}

let scorer: Promise<Scorer> | undefined;

export default async function scoreBatch(task: ScoreTask): Promise<PatientScore[]> {
  scorer ??= openScorer((workerData as { scorer?: ScorerOptions } | undefined)?.scorer ?? {});
  const { deps } = await scorer;
  return scorePatients(deps, task.patients, new Date(task.now));
}
