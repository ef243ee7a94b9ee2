/**
 * The panel never goes stale: loaded with `loadPanel` (dates moved so its as-of date is today) into a
 * real FHIR server and run by Augur on the real clock, the date-sensitive patients — stale and expired
 * lipids, a stale blood pressure, a stale urine ACR, an expired eGFR, an 82-year-old, a fresh chart —
 * still get exactly what the index says. The full suite (regression.test.ts) runs at the as-of date.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATIENT_VIEW_SERVICES } from '../../tools/panel/types.js';
import { patientView, readIndex, startPanelWorld, type PanelWorld } from './harness.js';
import { differences } from './observe.js';

const DATE_SENSITIVE = [
  'augur-cv-intermediate',
  'augur-cv-lipids-stale',
  'augur-cv-lipids-expired',
  'augur-cv-bp-stale',
  'augur-kfre-acr-stale',
  'augur-kfre-egfr-expired',
  'augur-af-female-recommended',
];
const index = readIndex();
let w: PanelWorld;

beforeAll(async () => {
  w = await startPanelWorld(index, { clock: 'today', patients: DATE_SENSITIVE });
}, 60_000);
afterAll(async () => {
  await w.close();
});

describe.each(DATE_SENSITIVE)('%s, loaded today', (id) => {
  const p = index.patients.find((x) => x.id === id);
  it.each(PATIENT_VIEW_SERVICES)('%s', async (service) => {
    if (p === undefined) throw new Error(`${id} is not in the index`);
    expect(differences(await patientView(w, service, id, 'prefetch'), p.expect[service])).toEqual([]);
  });
});
