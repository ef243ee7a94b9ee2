/**
 * A whole population run over a folder of Bulk Data NDJSON files (the entry point `augur score`, and
 * any downloader that first writes an export to a folder, call):
 *
 * 1. partition (partition.ts): one streaming pass, resources → bucket files by hash(patient id);
 * 2. score, one bucket at a time: the bucket is read and grouped by patient in memory (the memory bound:
 *    one bucket, i.e. at most `bucketBytes` of NDJSON, plus the patients in flight), each patient scored
 *    by the pool (pool.ts) and its PatientScore appended, as one line, to the bucket's part file;
 * 3. assemble: the part files → risk-assessments.ndjson, worklist.csv, worklist.ndjson, summary.json,
 *    report.html.
 *
 * Stopping (`signal`): no new patient is started, the ones in flight finish and are appended, the run
 * answers `interrupted`. `resume: true` continues: the partition is reused (same input files, sizes and
 * times, else it refuses), finished buckets are skipped, and in a started bucket every patient already
 * in its part file is skipped — nobody is scored twice (a line cut short by a hard kill is dropped and
 * that patient scored again). The clock of the first run is kept, so every patient is scored at one `now`.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { patientIdOf } from '../cds/prefetch/patient-binding.js';
import type { FhirResource } from '../features/types.js';
import {
  bucketFile,
  inputBytes,
  ndjsonFiles,
  parseBucketLine,
  partition,
  type PartitionStats,
} from './partition.js';
import { openPool, type ScorePool } from './pool.js';
import { renderReport } from './report.js';
import type { ScorerOptions } from './scorer.js';
import { SummaryBuilder, type Summary } from './summary.js';
import type { PatientScore } from './types.js';
import { csvHeader, csvRow } from './worklist.js';

/** The output files, in `--out` (names fixed). */
export const OUTPUT_FILES = {
  riskAssessments: 'risk-assessments.ndjson',
  worklistCsv: 'worklist.csv',
  worklistNdjson: 'worklist.ndjson',
  summary: 'summary.json',
  report: 'report.html',
} as const;

/** The work folder inside `--out` (buckets, part files, state); removed after a complete run. */
export const WORK_DIR = '.augur-score';

/** Default bucket size: 64 MiB of NDJSON per bucket. */
export const DEFAULT_BUCKET_BYTES = 64 * 1024 * 1024;

export interface Progress {
  phase: 'partition' | 'score' | 'write';
  done: number;
  /** Patients in the input (Patient resources), known after partitioning. */
  total?: number;
}

export interface RunOptions {
  input: string;
  out: string;
  resume?: boolean;
  /** Worker threads; 0 scores in the calling thread. */
  workers: number;
  scorer?: ScorerOptions;
  /** NDJSON bytes per bucket: the memory bound of the grouping step. */
  bucketBytes?: number;
  /** Patients per worker task. */
  batch?: number;
  now?: Date;
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  /** Where batches are scored instead of local threads (src/population-queue: BullMQ workers). */
  pool?: () => Promise<ScorePool>;
}

export type RunResult =
  | { status: 'complete'; summary: Summary; scoredThisRun: number }
  | { status: 'interrupted'; scoredThisRun: number; done: number };

export class RunError extends Error {}

interface State {
  version: 1;
  fingerprint: string;
  now: string;
  partition: PartitionStats;
}

function fingerprint(dir: string): string {
  return JSON.stringify(
    ndjsonFiles(dir).map((f) => {
      const st = statSync(join(dir, f));
      return [f, st.size, Math.round(st.mtimeMs)];
    }),
  );
}

const partFile = (work: string, b: number): string =>
  join(work, 'parts', `b-${String(b).padStart(5, '0')}.ndjson`);
const doneMarker = (work: string, b: number): string => `${partFile(work, b)}.done`;

/** Patient ids already in a part file; a last line cut short (hard kill) is removed first. */
function donePatients(file: string): Set<string> {
  const done = new Set<string>();
  if (!existsSync(file)) return done;
  const text = readFileSync(file, 'utf8');
  const end = text.lastIndexOf('\n') + 1;
  if (end < text.length) truncateSync(file, Buffer.byteLength(text.slice(0, end)));
  for (const line of text.slice(0, end).split('\n'))
    if (line !== '') done.add((JSON.parse(line) as PatientScore).patientId);
  return done;
}

/** One bucket grouped by patient, with where each patient's first resource came from. */
async function readBucket(
  file: string,
  files: readonly string[],
): Promise<{ groups: Map<string, FhirResource[]>; first: Map<string, string>; resources: number }> {
  const groups = new Map<string, FhirResource[]>();
  const first = new Map<string, string>();
  let resources = 0;
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line === '') continue;
    const { file: fi, line: n, resource } = parseBucketLine(line);
    const id = patientIdOf(resource) ?? '';
    let g = groups.get(id);
    if (g === undefined) {
      g = [];
      groups.set(id, g);
      first.set(id, `${files[fi] ?? '?'} line ${String(n)}`);
    }
    g.push(resource);
    resources++;
  }
  return { groups, first, resources };
}

export async function runPopulation(o: RunOptions): Promise<RunResult> {
  const work = join(o.out, WORK_DIR);
  const statePath = join(work, 'state.json');
  const started = performance.now();
  const stopped = (): boolean => o.signal?.aborted === true;
  if (!existsSync(o.input) || !statSync(o.input).isDirectory())
    throw new RunError(`input folder ${o.input} not found`);
  mkdirSync(o.out, { recursive: true });
  let state: State | undefined;
  const print = fingerprint(o.input);
  if (o.resume === true && existsSync(statePath)) {
    state = JSON.parse(readFileSync(statePath, 'utf8')) as State;
    if (state.fingerprint !== print)
      throw new RunError(
        '--resume: the input files changed since the interrupted run; start again without --resume',
      );
  } else {
    rmSync(work, { recursive: true, force: true });
    mkdirSync(join(work, 'buckets'), { recursive: true });
    mkdirSync(join(work, 'parts'), { recursive: true });
    const buckets = Math.max(1, Math.ceil(inputBytes(o.input) / (o.bucketBytes ?? DEFAULT_BUCKET_BYTES)));
    o.onProgress?.({ phase: 'partition', done: 0 });
    const stats = await partition(o.input, work, buckets, o.signal);
    if (stats === undefined) return { status: 'interrupted', scoredThisRun: 0, done: 0 };
    state = {
      version: 1,
      fingerprint: print,
      now: (o.now ?? new Date()).toISOString(),
      partition: stats,
    };
    writeFileSync(statePath, JSON.stringify(state));
  }
  const now = new Date(state.now);
  const total = state.partition.patients;
  const pool = await (o.pool?.() ?? openPool(o.workers, o.scorer ?? {}));
  let scoredThisRun = 0;
  let done = 0;
  let peak = 0;
  const batch = o.batch ?? 8;
  const inFlightMax = Math.max(1, o.workers * 2);
  try {
    for (let b = 0; b < state.partition.buckets; b++) {
      if (existsSync(doneMarker(work, b))) {
        done += donePatients(partFile(work, b)).size;
        continue;
      }
      if (stopped()) break;
      const already = donePatients(partFile(work, b));
      done += already.size;
      const { groups, first, resources } = await readBucket(bucketFile(work, b), state.partition.files);
      peak = Math.max(peak, resources);
      const todo = [...groups.keys()].filter((id) => !already.has(id));
      const part = await open(partFile(work, b), 'a');
      const queue: FhirResource[][] = [];
      const noPatient: PatientScore[] = [];
      for (const id of todo) {
        const g = groups.get(id) ?? [];
        if (g.some((r) => r.resourceType === 'Patient')) queue.push(g);
        else
          noPatient.push({
            status: 'not-scored',
            patientId: id,
            reason: `no Patient resource in the input (${String(g.length)} resource(s) refer to it, first: ${first.get(id) ?? '?'})`,
          });
      }
      const record = async (scores: PatientScore[]): Promise<void> => {
        await part.write(scores.map((s) => `${JSON.stringify(s)}\n`).join(''));
        done += scores.length;
        scoredThisRun += scores.length;
        o.onProgress?.({ phase: 'score', done, total });
      };
      await record(noPatient);
      const running = new Set<Promise<void>>();
      let i = 0;
      while (i < queue.length && !stopped()) {
        const slice = queue.slice(i, i + batch);
        i += slice.length;
        const p: Promise<void> = pool.score(slice, now).then(record);
        running.add(p);
        void p.finally(() => running.delete(p));
        if (running.size >= inFlightMax) await Promise.race(running);
      }
      await Promise.all(running);
      await part.close();
      if (i < queue.length) break; // stopped mid-bucket: the part file holds every finished patient
      writeFileSync(doneMarker(work, b), '');
    }
  } finally {
    await pool.close();
  }
  if (stopped()) {
    const complete = [...Array(state.partition.buckets).keys()].every((b) => existsSync(doneMarker(work, b)));
    if (!complete) return { status: 'interrupted', scoredThisRun, done };
  }
  o.onProgress?.({ phase: 'write', done, total });
  const seconds = (performance.now() - started) / 1000;
  const summary = await assemble(
    o,
    work,
    state,
    {
      workers: o.workers,
      seconds,
      patientsPerSecond: seconds > 0 ? scoredThisRun / seconds : 0,
      maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      resumed: o.resume === true,
    },
    peak,
  );
  rmSync(work, { recursive: true, force: true });
  return { status: 'complete', summary, scoredThisRun };
}

async function assemble(
  o: RunOptions,
  work: string,
  state: State,
  run: Summary['run'],
  peak: number,
): Promise<Summary> {
  const builder = new SummaryBuilder();
  const path = (name: string): string => join(o.out, name);
  const ra = await open(path(OUTPUT_FILES.riskAssessments), 'w');
  const csv = await open(path(OUTPUT_FILES.worklistCsv), 'w');
  const wl = await open(path(OUTPUT_FILES.worklistNdjson), 'w');
  await csv.write(csvHeader());
  for (let b = 0; b < state.partition.buckets; b++) {
    const file = partFile(work, b);
    if (!existsSync(file)) continue;
    const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
    for await (const line of lines) {
      if (line === '') continue;
      const s = JSON.parse(line) as PatientScore;
      builder.add(s);
      if (s.status !== 'scored') continue;
      if (s.riskAssessments.length > 0)
        await ra.write(s.riskAssessments.map((r) => `${JSON.stringify(r)}\n`).join(''));
      if (s.gaps.length > 0) {
        await csv.write(s.gaps.map(csvRow).join(''));
        await wl.write(s.gaps.map((g) => `${JSON.stringify(g)}\n`).join(''));
      }
    }
  }
  await Promise.all([ra.close(), csv.close(), wl.close()]);
  const summary = builder.build({
    computedAt: state.now,
    partition: state.partition,
    run,
    peakResourcesInMemory: peak,
  });
  writeFileSync(path(OUTPUT_FILES.summary), `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(path(OUTPUT_FILES.report), renderReport(summary));
  return summary;
}
