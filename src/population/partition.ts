/**
 * The streaming first pass over a folder of Bulk Data NDJSON files: every line is parsed once and
 * appended to one of N bucket files chosen by a hash of the patient it is about, so the second pass
 * can group one bucket at a time. Memory while partitioning: one line. Memory while scoring: one
 * bucket (run.ts). Bad lines never stop the pass: each is counted, and the first examples of each kind
 * are kept with file and line.
 */
import { createReadStream, createWriteStream, readdirSync, statSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { patientIdOf } from '../cds/prefetch/patient-binding.js';
import type { FhirResource } from '../features/types.js';

/** Resource types some patient-view service reads; other types are counted and left out. */
export const READ_TYPES: ReadonlySet<string> = new Set([
  'Patient',
  'Observation',
  'Condition',
  'MedicationRequest',
  'MedicationStatement',
  'ServiceRequest',
  'DiagnosticReport',
]);

export type ProblemKind = 'malformed-json' | 'not-a-resource' | 'unread-type' | 'no-subject';

export interface InputProblem {
  kind: ProblemKind;
  file: string;
  line: number;
  detail: string;
}

export interface InputProblems {
  counts: Partial<Record<ProblemKind, number>>;
  /** The first examples of each kind, with file and line. */
  examples: InputProblem[];
}

/** Examples kept per kind (the counts are always complete). */
export const EXAMPLES_PER_KIND = 50;

export interface PartitionStats {
  files: string[];
  bytes: number;
  lines: number;
  /** Resources written to buckets. */
  resources: number;
  /** Patient resources among them (the population size, for progress). */
  patients: number;
  buckets: number;
  problems: InputProblems;
}

/** The `.ndjson` files of a folder, sorted (an export writes `Observation.ndjson`, `Observation.2.ndjson`…). */
export function ndjsonFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ndjson'))
    .sort();
}

/** Total bytes of the NDJSON input (sizes the bucket count). */
export function inputBytes(dir: string): number {
  return ndjsonFiles(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
}

/** 32-bit FNV-1a: stable across runs and processes (resume re-derives the same buckets). */
export function bucketOf(patientId: string, buckets: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < patientId.length; i++) {
    h ^= patientId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % buckets;
}

export const bucketFile = (workDir: string, b: number): string =>
  join(workDir, 'buckets', `b-${String(b).padStart(5, '0')}.ndjson`);

export function recordProblem(p: InputProblems, problem: InputProblem): void {
  const n = (p.counts[problem.kind] ?? 0) + 1;
  p.counts[problem.kind] = n;
  if (n <= EXAMPLES_PER_KIND) p.examples.push(problem);
}

/** A bucket line: `<file index>\t<line>\t<resource JSON>`. */
export function parseBucketLine(line: string): { file: number; line: number; resource: FhirResource } {
  const a = line.indexOf('\t');
  const b = line.indexOf('\t', a + 1);
  return {
    file: Number(line.slice(0, a)),
    line: Number(line.slice(a + 1, b)),
    resource: JSON.parse(line.slice(b + 1)) as FhirResource,
  };
}

/**
 * Partitions every file; with `signal` aborted it stops after the current line and answers undefined
 * (the partial buckets are not a partition: the caller starts again).
 */
export async function partition(
  inputDir: string,
  workDir: string,
  buckets: number,
  signal?: AbortSignal,
): Promise<PartitionStats | undefined> {
  const files = ndjsonFiles(inputDir);
  const stats: PartitionStats = {
    files,
    bytes: 0,
    lines: 0,
    resources: 0,
    patients: 0,
    buckets,
    problems: { counts: {}, examples: [] },
  };
  const outs: WriteStream[] = [];
  for (let b = 0; b < buckets; b++) outs.push(createWriteStream(bucketFile(workDir, b)));
  for (const [fi, file] of files.entries()) {
    stats.bytes += statSync(join(inputDir, file)).size;
    const lines = createInterface({ input: createReadStream(join(inputDir, file)), crlfDelay: Infinity });
    let n = 0;
    for await (const text of lines) {
      if (signal?.aborted === true) break;
      n++;
      if (text.trim() === '') continue;
      stats.lines++;
      const where = { file, line: n };
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (err) {
        recordProblem(stats.problems, { kind: 'malformed-json', ...where, detail: (err as Error).message });
        continue;
      }
      const type = (value as { resourceType?: unknown } | null)?.resourceType;
      if (typeof value !== 'object' || value === null || Array.isArray(value) || typeof type !== 'string') {
        recordProblem(stats.problems, { kind: 'not-a-resource', ...where, detail: 'no resourceType' });
        continue;
      }
      if (!READ_TYPES.has(type)) {
        recordProblem(stats.problems, {
          kind: 'unread-type',
          ...where,
          detail: `${type.slice(0, 64)} is not read by any service`,
        });
        continue;
      }
      const resource = value as FhirResource;
      const patientId = patientIdOf(resource);
      if (patientId === undefined || patientId === '') {
        recordProblem(stats.problems, {
          kind: 'no-subject',
          ...where,
          detail: `${type} without a Patient ${type === 'Patient' ? 'id' : 'subject'}`,
        });
        continue;
      }
      const out = outs[bucketOf(patientId, buckets)] as WriteStream;
      if (!out.write(`${String(fi)}\t${String(n)}\t${text.trim()}\n`)) await once(out, 'drain');
      stats.resources++;
      if (type === 'Patient') stats.patients++;
    }
  }
  await Promise.all(
    outs.map(
      (o) =>
        new Promise<void>((resolve, reject) =>
          o.end((e?: Error | null) => {
            if (e) reject(e);
            else resolve();
          }),
        ),
    ),
  );
  return signal?.aborted === true ? undefined : stats;
}
