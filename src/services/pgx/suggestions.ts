/**
 * The FHIR resources behind PGx suggestions: replacing a draft order — by default one `update` of the
 * draft (same id, the alternative's RxNorm clinical drug with `text`, its dosage text), or as a site
 * setting the delete of the draft plus the create of a complete new draft — a dose
 * change (update of the draft with the reduced dose), and a pharmacogenomic test (a draft
 * ServiceRequest coded as a molecular genetic test for the genes, with their HGNC codes).
 */
import type { MedicationRequest, ServiceRequest } from 'fhir/r4.js';
import type { Action } from '../../cds/types.js';
import { SYSTEMS } from '../../features/systems.js';
import type { PgxTables } from '../../pgx/tables.js';
import { formatNumber } from '../../cards/build.js';

export const orderRefOf = (order: MedicationRequest): string => `MedicationRequest/${order.id ?? ''}`;

export function deleteDraft(order: MedicationRequest, description: string): Action {
  return { type: 'delete', description, resourceId: orderRefOf(order) };
}

/** The alternative as a CodeableConcept: coded RxNorm and `text` (EHRs apply actions only with both). */
function alternativeConcept(alt: {
  code: string;
  display: string;
}): MedicationRequest['medicationCodeableConcept'] {
  return { coding: [{ system: SYSTEMS.rxnorm, code: alt.code, display: alt.display }], text: alt.display };
}

/**
 * The draft order itself, changed to `alternativeId`: same id, patient, encounter, requester and
 * intent; the new medication (coded, with text) and the alternative's dosage replace the old ones.
 * One action, so a client that applies a suggestion's actions one by one cannot stop half-way.
 */
export function replaceDraft(
  tables: PgxTables,
  order: MedicationRequest,
  alternativeId: string,
  description: string,
): Action | undefined {
  const alt = tables.alternatives.get(alternativeId);
  if (alt === undefined || order.id === undefined) return undefined;
  // The old drug's references and dose go: they describe the drug being replaced.
  const {
    medicationReference: _ref,
    medicationCodeableConcept: _old,
    dosageInstruction: _dose,
    ...kept
  } = order;
  const resource: MedicationRequest = {
    ...kept,
    medicationCodeableConcept: alternativeConcept(alt),
    dosageInstruction: [{ text: alt.dosage }],
  };
  return { type: 'update', description, resource };
}

/** A complete draft order for `alternativeId`, for the same patient, encounter and requester. */
export function createAlternative(
  tables: PgxTables,
  order: MedicationRequest,
  alternativeId: string,
  description: string,
): Action | undefined {
  const alt = tables.alternatives.get(alternativeId);
  if (alt === undefined) return undefined;
  const resource: MedicationRequest = {
    resourceType: 'MedicationRequest',
    status: 'draft',
    intent: order.intent,
    subject: order.subject,
    ...(order.encounter === undefined ? {} : { encounter: order.encounter }),
    ...(order.requester === undefined ? {} : { requester: order.requester }),
    medicationCodeableConcept: alternativeConcept(alt),
    dosageInstruction: [{ text: alt.dosage }],
  };
  return { type: 'create', description, resource };
}

/** The draft's first dose quantity, when it has one. */
export function draftDose(order: MedicationRequest): { value: number; unit: string } | undefined {
  const q = order.dosageInstruction?.[0]?.doseAndRate?.[0]?.doseQuantity;
  if (q?.value === undefined) return undefined;
  return { value: q.value, unit: q.unit ?? q.code ?? '' };
}

/** The draft with its first dose multiplied by `factor` (rounded to 2 significant decimals). */
export function reducedDraft(
  order: MedicationRequest,
  factor: number,
): { resource: MedicationRequest; dose: string } | undefined {
  const dose = draftDose(order);
  const first = order.dosageInstruction?.[0];
  const rate = first?.doseAndRate?.[0];
  if (dose === undefined || first === undefined || rate?.doseQuantity === undefined) return undefined;
  const value = Number(formatNumber(dose.value * factor));
  const shown = `${formatNumber(value)}${dose.unit === '' ? '' : ` ${dose.unit}`}`;
  const note = `Dose reduced from ${formatNumber(dose.value)}${dose.unit === '' ? '' : ` ${dose.unit}`} per CPIC pharmacogenomic guidance`;
  const resource: MedicationRequest = {
    ...order,
    dosageInstruction: [
      {
        ...first,
        text: first.text === undefined ? note : `${first.text} — ${note}`,
        doseAndRate: [
          { ...rate, doseQuantity: { ...rate.doseQuantity, value } },
          ...(first.doseAndRate?.slice(1) ?? []),
        ],
      },
      ...(order.dosageInstruction?.slice(1) ?? []),
    ],
  };
  return { resource, dose: shown };
}

/** A draft ServiceRequest for genotyping `genes` for this patient. */
export function testRequest(
  tables: PgxTables,
  genes: readonly string[],
  subject: MedicationRequest['subject'],
  drug: string,
): ServiceRequest {
  const { procedure, geneCodes } = tables.files.bindings.test;
  const hgnc = genes.flatMap((g) => {
    const table = tables.genes.get(g);
    return table === undefined ? [] : [{ system: SYSTEMS.hgnc, code: table.hgnc, display: g }];
  });
  const specific = genes.flatMap((g) => (geneCodes[g] === undefined ? [] : [geneCodes[g]]));
  return {
    resourceType: 'ServiceRequest',
    status: 'draft',
    intent: 'proposal',
    subject,
    code: { coding: [procedure, ...specific, ...hgnc], text: `${genes.join(' and ')} genotyping` },
    reasonCode: [{ text: `Pharmacogenomic testing before ${drug} (CPIC)` }],
  };
}
