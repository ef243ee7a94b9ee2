/** Which covered drug an order is for: by RxNorm code first, else by the drug's name as a whole word. */
import { describe, expect, it } from 'vitest';
import { matchDrug } from '../../src/pgx/drugs.js';
import { aMedicationRequest } from '../support/fhir-builders.js';
import { tables } from './helpers.js';

describe('matchDrug', () => {
  it('matches a clinical drug (SCD) code through its ingredient, not by text', () => {
    const order = aMedicationRequest({ rxnorm: '309362', display: 'clopidogrel 75 MG Oral Tablet' });
    expect(matchDrug(tables, order)).toEqual({
      drug: 'clopidogrel',
      byText: false,
      ordered: 'clopidogrel 75 MG Oral Tablet',
    });
  });

  it('falls back to the name as a whole word, case-insensitive, and says so', () => {
    const order = aMedicationRequest({ text: 'Capecitabine 500 MG Oral Tablet' });
    expect(matchDrug(tables, order)).toMatchObject({ drug: 'capecitabine', byText: true });
    expect(matchDrug(tables, aMedicationRequest({ text: 'tab (codeine) 30mg' }))).toMatchObject({
      drug: 'codeine',
      byText: true,
    });
  });

  it('does not match a name inside another word, or an uncovered drug', () => {
    expect(matchDrug(tables, aMedicationRequest({ text: 'Dihydrocodeine 30 mg tablet' }))).toBeUndefined();
    expect(matchDrug(tables, aMedicationRequest({ text: 'Atorvastatin 20 mg tablet' }))).toBeUndefined();
  });
});
