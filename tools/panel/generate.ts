/**
 * The panel for an as-of date, in memory: one FHIR R4 transaction Bundle per patient (PUT with stable
 * ids, so loading is idempotent) and the index. Pure and deterministic: the same as-of date gives the
 * same bytes (ids and fullUrls derive from names, never from the clock or a random source).
 */
import { createHash } from 'node:crypto';
import type { Bundle, BundleEntry, FhirResource, Practitioner } from 'fhir/r4.js';
import { PRACTITIONER_ID } from './chart.js';
import { Clock } from './clock.js';
import { PANEL } from './patients/index.js';
import { build } from './spec.js';
import type { PanelIndex } from './types.js';

export interface GeneratedPanel {
  index: PanelIndex;
  /** File name → transaction Bundle. */
  bundles: Map<string, Bundle<FhirResource>>;
}

/** The one clinician every chart's orders name (US Core MedicationRequest.requester). */
const CLINICIAN: Practitioner = {
  resourceType: 'Practitioner',
  id: PRACTITIONER_ID,
  identifier: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: '9999999991' }],
  name: [{ family: 'Clinician', given: ['Panel'], prefix: ['Dr.'] }],
};

/** A name-based UUID (SHA-1, RFC 4122 version 5 layout) for an entry's fullUrl. */
export function stableUuid(name: string): string {
  const h = createHash('sha1').update(`augur-panel:${name}`).digest('hex');
  const variant = ((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function transaction(resources: readonly FhirResource[], timestamp: string): Bundle<FhirResource> {
  const entry = resources.map((resource): BundleEntry<FhirResource> => {
    const url = `${resource.resourceType}/${resource.id ?? ''}`;
    return { fullUrl: `urn:uuid:${stableUuid(url)}`, resource, request: { method: 'PUT', url } };
  });
  return { resourceType: 'Bundle', type: 'transaction', timestamp, entry };
}

export const CONVENTIONS: Record<string, string> = {
  asOf: 'Every date in the files is relative to asOf. `augur patients load` shifts all of them by whole days so asOf becomes the day of loading; the regression suite runs Augur with its clock at asOf (12:00 UTC).',
  card: 'The card id a site switches off with cards.disabled (README "Services"); PGx order cards are pgx-<drug>, the PGx patient-view card is pgx.',
  band: 'The band stored with the card (GET /api/results/{id}): PCE band, CHA₂DS₂-VASc band, KFRE tier, CKD stage for the urine-ACR card.',
  finding: 'PGx: the gene findings of the card key (pgx:<drug>:<finding>), without activity scores.',
  suggestions:
    '`<action> <resourceType>[ <system>:<code>]` for each suggestion the card must offer; [] = no suggestion. Replacements are one update of the draft (suggestions.replaceStyle "update", the default).',
  orders:
    'Each draft order alone at order-select (selections = that order), then all together at order-sign in a new encounter: order-sign shows the union.',
};

export function generatePanel(asOf: string): GeneratedPanel {
  const clock = new Clock(asOf);
  const timestamp = `${clock.date}T00:00:00Z`;
  const bundles = new Map<string, Bundle<FhirResource>>();
  const patients = PANEL.map((spec) => {
    const { entry, resources } = build(spec, clock);
    if (bundles.has(entry.file)) throw new Error(`two panel patients write ${entry.file}`);
    bundles.set(entry.file, transaction([CLINICIAN, ...resources], timestamp));
    return entry;
  });
  const index: PanelIndex = {
    asOf: clock.date,
    description:
      'Augur synthetic patient panel: FHIR R4 transaction Bundles (US Core-shaped), one per patient, and what Augur should show for each per service and hook. Written by `npm run patients` (tools/panel/); asserted by test/panel/.',
    conventions: CONVENTIONS,
    patients,
  };
  return { index, bundles };
}
