/**
 * The draft resources a suggestion creates: a statin MedicationRequest (RxNorm-coded, with a dose and
 * a daily timing) and a lipid-panel ServiceRequest (LOINC-coded). Status draft, intent from the card
 * data, subject the context patient. Both carry the reason as text, for the clinician who signs them.
 */
import type { MedicationRequest, ServiceRequest } from 'fhir/r4.js';
import type { Action } from '../../cds/types.js';
import { render } from '../../cards/data.js';
import type { CardiovascularCards, StatinDraft, StatinRule } from './card-data.js';

const UCUM = 'http://unitsofmeasure.org';

export function statinAction(
  patientId: string,
  rule: StatinRule,
  draft: StatinDraft,
  cards: CardiovascularCards,
): Action {
  const resource: MedicationRequest = {
    resourceType: 'MedicationRequest',
    status: 'draft',
    intent: cards.statin.intent,
    subject: { reference: `Patient/${patientId}` },
    medicationCodeableConcept: { coding: [{ ...draft.coding }], text: draft.coding.display },
    reasonCode: [{ text: rule.recommendation }],
    dosageInstruction: [
      {
        text: draft.dosageText,
        timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd' } },
        doseAndRate: [{ doseQuantity: { value: draft.doseMg, unit: 'mg', system: UCUM, code: 'mg' } }],
      },
    ],
  };
  return {
    type: 'create',
    description: render(cards.text.suggestionDescription, {
      display: draft.coding.display,
      dosage: draft.dosageText,
      intensity: draft.intensityLabel,
      citation: rule.citation,
    }),
    resource,
  };
}

export function lipidPanelAction(patientId: string, reason: string, cards: CardiovascularCards): Action {
  const order = cards.lipids.order;
  const resource: ServiceRequest = {
    resourceType: 'ServiceRequest',
    status: 'draft',
    intent: cards.lipids.intent,
    subject: { reference: `Patient/${patientId}` },
    code: { coding: [{ ...order.coding }], text: order.text },
    reasonCode: [{ text: reason }],
  };
  return { type: 'create', description: order.description, resource };
}
