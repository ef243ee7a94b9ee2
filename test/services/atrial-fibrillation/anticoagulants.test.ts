/**
 * findAnticoagulants over the ways an order names its drug: its own code, a contained or bundled
 * Medication (code or ingredient), only the reference's display text, or nothing readable at all.
 */
import type { Medication, MedicationRequest, MedicationStatement } from 'fhir/r4.js';
import { describe, expect, it } from 'vitest';
import { findAnticoagulants } from '../../../src/services/atrial-fibrillation/anticoagulants.js';
import { getValueSet } from '../../../src/features/valuesets.js';
import type { FhirResource } from '../../../src/features/types.js';
import { VALUE_SETS } from '../../features/helpers.js';
import { RX } from './builders.js';

const vs = getValueSet(VALUE_SETS, 'medication-oral-anticoagulants');
const rxnorm = (c: { code: string; display: string }) => ({
  system: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  ...c,
});

const order = (id: string, more: Partial<MedicationRequest>): MedicationRequest => ({
  resourceType: 'MedicationRequest',
  id,
  status: 'active',
  intent: 'order',
  subject: { reference: 'Patient/p' },
  authoredOn: '2024-06-01',
  ...more,
});

describe('findAnticoagulants', () => {
  it('a contained Medication coded as apixaban (RxNorm ingredient)', () => {
    const med: Medication = {
      resourceType: 'Medication',
      id: 'm',
      code: { coding: [rxnorm(RX.apixabanIngredient)] },
    };
    const mr = order('contained', {
      contained: [med],
      medicationReference: { reference: '#m' },
    });
    expect(findAnticoagulants([mr], vs)).toEqual({
      found: [
        {
          name: 'apixaban',
          byText: false,
          source: 'MedicationRequest/contained',
          date: '2024-06-01',
        },
      ],
      unidentified: [],
    });
  });

  it('a bundled Medication known only by its ingredient', () => {
    const resources: FhirResource[] = [
      order('bundled', { medicationReference: { reference: 'Medication/med1' } }),
      {
        resourceType: 'Medication',
        id: 'med1',
        ingredient: [{ itemCodeableConcept: { coding: [rxnorm(RX.apixabanIngredient)] } }],
      },
    ];
    const check = findAnticoagulants(resources, vs);
    expect(check.found.map((f) => [f.name, f.byText, f.source])).toEqual([
      ['apixaban', false, 'MedicationRequest/bundled'],
    ]);
    expect(check.unidentified).toEqual([]);
  });

  it('an unresolved reference whose display names the drug: found by text, not unidentified', () => {
    const ms: MedicationStatement = {
      resourceType: 'MedicationStatement',
      id: 'by-display',
      status: 'on-hold',
      subject: { reference: 'Patient/p' },
      effectiveDateTime: '2024-05-02',
      medicationReference: { reference: 'Medication/elsewhere', display: 'Warfarin 5 mg tablet' },
    };
    expect(findAnticoagulants([ms], vs)).toEqual({
      found: [
        {
          name: 'Warfarin 5 mg tablet',
          byText: true,
          source: 'MedicationStatement/by-display',
          date: '2024-05-02',
        },
      ],
      unidentified: [],
    });
  });

  it('an unresolved reference without a display is unidentified; a non-anticoagulant is neither', () => {
    const resources: FhirResource[] = [
      order('opaque', { medicationReference: { reference: 'Medication/not-here' } }),
      order('metformin', { medicationCodeableConcept: { coding: [rxnorm(RX.metformin)] } }),
      order('stopped', { status: 'stopped', medicationCodeableConcept: { coding: [rxnorm(RX.apixaban5)] } }),
    ];
    expect(findAnticoagulants(resources, vs)).toEqual({
      found: [],
      unidentified: ['MedicationRequest/opaque'],
    });
  });
});
