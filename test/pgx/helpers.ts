/** Shared fixtures for the PGx tests: the shipped tables and genomic Observation builders. */
import type { Observation } from 'fhir/r4.js';
import { loadPgxTables } from '../../src/services/pgx/load.js';
import {
  aGenotype,
  anObservation,
  coding,
  concept,
  HGNC_IDS,
  LOINC,
  loinc,
} from '../support/fhir-builders.js';

export const tables = loadPgxTables();

export type Gene = keyof typeof HGNC_IDS;

/** A Genomics Reporting IG genotype Observation (84413-4) for `gene` valued `value`. */
export const genotype = (gene: Gene, value: string, more: { id?: string; date?: string } = {}): Observation =>
  aGenotype({ shape: 'ig', gene, value: `${gene} ${value}`, ...more });

/** A therapeutic-implication style phenotype: gene component + 53040-2 component with an LA answer. */
export function phenotypeObs(gene: Gene, answer: string, display: string, id?: string): Observation {
  return anObservation({
    ...(id === undefined ? {} : { id }),
    code: loinc('51961-1', 'Genetic variation’s effect on drug efficacy'),
    date: '2023-06-01',
    component: [
      {
        code: loinc('48018-6', 'Gene studied [ID]'),
        valueCodeableConcept: concept(coding('http://www.genenames.org/geneId', HGNC_IDS[gene], gene)),
      },
      { code: loinc('53040-2'), valueCodeableConcept: concept(coding(LOINC, answer, display)) },
    ],
  });
}
