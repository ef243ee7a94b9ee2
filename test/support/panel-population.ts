/**
 * A population for the population-scoring tests: the synthetic panel (examples/patients), each patient
 * copied `copies` times under new ids (`<id>-c<k>`, every reference rewritten), one resource group per
 * patient. Scoring "as of" the panel's date (`PANEL_NOW`) gives the panel's documented answers.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bundle, FhirResource } from 'fhir/r4.js';
import { patientIdOf } from '../../src/cds/prefetch/patient-binding.js';

export const PANEL_NOW = new Date('2026-01-15T12:00:00Z');

const PANEL_DIR = join(import.meta.dirname, '..', '..', 'examples', 'patients');

/** Each panel patient's own resources (its Patient and what names it), once. */
export function panelPatients(): FhirResource[][] {
  return readdirSync(PANEL_DIR)
    .filter((f) => f.endsWith('.json') && f !== 'index.json')
    .sort()
    .map((f) => {
      const bundle = JSON.parse(readFileSync(join(PANEL_DIR, f), 'utf8')) as Bundle<FhirResource>;
      return (bundle.entry ?? [])
        .flatMap((e) => (e.resource === undefined ? [] : [e.resource]))
        .filter((r) => patientIdOf(r) !== undefined);
    });
}

export function population(copies: number): FhirResource[][] {
  const base = panelPatients();
  const out: FhirResource[][] = [];
  for (let k = 1; k <= copies; k++)
    for (const group of base) {
      const id = group.map(patientIdOf).find((s) => s !== undefined) ?? '';
      const text = JSON.stringify(group)
        .replaceAll(`"Patient/${id}"`, `"Patient/${id}-c${String(k)}"`)
        .replaceAll(`"id":"${id}"`, `"id":"${id}-c${String(k)}"`);
      out.push(JSON.parse(text) as FhirResource[]);
    }
  return out;
}

/** Writes a population as a Bulk Data export would: one NDJSON file per resource type. */
export function writeNdjsonFolder(dir: string, groups: readonly FhirResource[][]): void {
  const byType = new Map<string, string[]>();
  for (const r of groups.flat()) {
    const lines = byType.get(r.resourceType) ?? [];
    lines.push(JSON.stringify(r));
    byType.set(r.resourceType, lines);
  }
  for (const [type, lines] of byType) writeFileSync(join(dir, `${type}.ndjson`), `${lines.join('\n')}\n`);
}
