/** Panel patients as bulk data for the population tests: resources of one patient, or NDJSON files. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FhirResource } from '../../src/features/types.js';
import { PANEL_DIR, readIndex } from '../panel/harness.js';

export const AS_OF = new Date(`${readIndex().asOf}T12:00:00Z`);

/** A panel patient's transaction Bundle as the resources a Bulk Data export holds (no Practitioner). */
export function panelResources(patientId: string): FhirResource[] {
  const file = readIndex().patients.find((p) => p.id === patientId)?.file ?? `${patientId}.json`;
  const bundle = JSON.parse(readFileSync(join(PANEL_DIR, file), 'utf8')) as {
    entry: { resource: FhirResource }[];
  };
  return bundle.entry.map((e) => e.resource).filter((r) => r.resourceType !== 'Practitioner');
}
