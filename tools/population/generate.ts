/**
 * A large synthetic population as Bulk Data NDJSON, from the synthetic panel (examples/patients/):
 * population patient i is a copy of panel patient i mod n with new ids (`<id>-p<i>`; every reference
 * inside the copy follows) and, from the second round on, Observation values jittered by up to ±5 %
 * (deterministic: mulberry32 seeded per patient). The first n patients are exact copies, so their
 * cards are what examples/patients/index.json says. Files as a `$export` writes them, one per type
 * (`Patient.ndjson`, `Observation.ndjson`…; `Observation.2.ndjson`… with `filesPerType`). Streams: the
 * population is never held in memory.
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import type { FhirResource } from 'fhir/r4.js';
import { materialise, shiftDays } from '../../cli/patients/materialise.js';
import { readPanel } from '../../cli/patients/panel.js';
import { repoRoot } from '../../src/config/paths.js';
import { mulberry32 } from '../../src/models/explain/prng.js';

export interface PopulationOptions {
  count: number;
  out: string;
  /** Panel folder (default examples/patients). */
  panelDir?: string;
  /** Only these panel patients as sources (default: all). */
  sources?: readonly string[];
  /** Split each type over this many files (default 1). */
  filesPerType?: number;
  seed?: number;
  /**
   * The day the population is made current for (YYYY-MM-DD): every date moves by the same whole number
   * of days so the panel's as-of becomes this day, as `augur patients load` does. Default: the panel's
   * own dates, unshifted (the tests score them with the clock at the panel's as-of).
   */
  asOf?: string;
}

export interface PopulationWritten {
  patients: number;
  resources: number;
  files: string[];
  /** Panel patient each population patient copies, for i < n exact copies (tests). */
  sourceOf: (i: number) => string;
  /** Days every date was moved by (0 without `asOf`). */
  shiftedDays: number;
}

export const populationId = (source: string, i: number): string => `${source}-p${String(i)}`;

function rewrite(
  value: unknown,
  ids: ReadonlyMap<string, string>,
  jitter: (() => number) | undefined,
  key = '',
): unknown {
  if (Array.isArray(value)) return value.map((v) => rewrite(v, ids, jitter));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = rewrite(v, ids, jitter, k);
    return out;
  }
  if (key === 'reference' && typeof value === 'string') return ids.get(value) ?? value;
  if (key === 'value' && typeof value === 'number' && jitter !== undefined) {
    const v = value * (1 + (jitter() - 0.5) * 0.1);
    return Number.isInteger(value) ? Math.round(v) : Math.round(v * 100) / 100;
  }
  return value;
}

export async function writePopulation(o: PopulationOptions): Promise<PopulationWritten> {
  const panel = readPanel(o.panelDir ?? join(repoRoot(), 'examples', 'patients'), o.sources);
  const sources = panel.files;
  if (sources.length === 0) throw new Error('no panel patient to copy');
  const days = o.asOf === undefined ? 0 : shiftDays(panel.asOf, new Date(`${o.asOf}T00:00:00Z`));
  mkdirSync(o.out, { recursive: true });
  const perType = Math.max(1, o.filesPerType ?? 1);
  const streams = new Map<string, WriteStream>();
  const files: string[] = [];
  const streamFor = (type: string, i: number): WriteStream => {
    const part = i % perType;
    const name = part === 0 ? `${type}.ndjson` : `${type}.${String(part + 1)}.ndjson`;
    let s = streams.get(name);
    if (s === undefined) {
      s = createWriteStream(join(o.out, name));
      streams.set(name, s);
      files.push(name);
    }
    return s;
  };
  let resources = 0;
  for (let i = 0; i < o.count; i++) {
    const src = sources[i % sources.length];
    if (src === undefined) continue;
    const entries = (src.bundle.entry ?? []).flatMap((e) =>
      e.resource === undefined || e.resource.resourceType === 'Practitioner' ? [] : [e.resource],
    );
    const ids = new Map<string, string>();
    for (const r of entries)
      ids.set(`${r.resourceType}/${String(r.id)}`, `${r.resourceType}/${populationId(String(r.id), i)}`);
    const rand = i < sources.length ? undefined : mulberry32((o.seed ?? 14) * 1_000_003 + i);
    for (const r of entries) {
      const copy = materialise(
        rewrite(r, ids, r.resourceType === 'Observation' ? rand : undefined) as FhirResource,
        days,
      );
      copy.id = populationId(String(r.id), i);
      const s = streamFor(r.resourceType, i);
      if (!s.write(`${JSON.stringify(copy)}\n`)) await once(s, 'drain');
      resources++;
    }
  }
  await Promise.all(
    [...streams.values()].map(
      (s) =>
        new Promise<void>((resolve) =>
          s.end(() => {
            resolve();
          }),
        ),
    ),
  );
  return {
    patients: o.count,
    resources,
    files: files.sort(),
    sourceOf: (i) => sources[i % sources.length]?.patientId ?? '',
    shiftedDays: days,
  };
}
