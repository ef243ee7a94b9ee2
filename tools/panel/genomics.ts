/**
 * Pharmacogenomic results in the shapes charts hold (pgx.md): the Genomics Reporting IG genotype
 * (LOINC 84413-4, PharmVar-coded value, gene-studied component 48018-6 with the HGNC id), the legacy
 * SNOMED 363779003 genotype determination with a valueString, and a phenotype-only result (CPIC LOINC
 * such as 79713-4 TPMT, valued with an LA answer). A DiagnosticReport (51969-4, category GE) groups them.
 */
import type { DiagnosticReport, FhirResource, Observation, Reference } from 'fhir/r4.js';
import type { Chart } from './chart.js';
import { HGNC, SYSTEM, loincCoding, type Gene } from './codes.js';

export type GenotypeOptions =
  | { shape: 'ig'; gene: Gene; value: string }
  | { shape: 'legacy'; gene: Gene; value: string }
  /** loinc: 79713-4 (TPMT) or 79716-7 (CYP2C9); answer: LA code and its display. */
  | { shape: 'phenotype'; gene: Gene; loinc: string; answer: [string, string] };

const PHENOTYPE_LOINC: Partial<Record<Gene, string>> = { TPMT: '79713-4', CYP2C9: '79716-7' };

function observation(chart: Chart, o: GenotypeOptions, daysAgo: number): Observation {
  const base = chart.observationBase(o.shape === 'phenotype' ? o.loinc : '84413-4', daysAgo);
  const geneComponent = {
    code: { coding: [loincCoding('48018-6')] },
    valueCodeableConcept: { coding: [{ system: SYSTEM.hgnc, code: HGNC[o.gene], display: o.gene }] },
  };
  const id = chart.nextId('pgx', o.gene.toLowerCase());
  switch (o.shape) {
    case 'ig':
      return {
        ...base,
        id,
        valueCodeableConcept: {
          coding: [{ system: SYSTEM.pharmvar, code: o.value, display: `${o.gene} ${o.value}` }],
          text: `${o.gene} ${o.value}`,
        },
        component: [geneComponent],
      };
    case 'legacy':
      return {
        ...base,
        id,
        code: { coding: [{ system: SYSTEM.snomed, code: '363779003', display: 'Genotype determination' }] },
        valueString: o.value,
        component: [geneComponent],
      };
    case 'phenotype':
      if (PHENOTYPE_LOINC[o.gene] !== o.loinc)
        throw new Error(`${o.loinc} is not the ${o.gene} phenotype code`);
      return {
        ...base,
        id,
        valueCodeableConcept: { coding: [{ system: SYSTEM.loinc, code: o.answer[0], display: o.answer[1] }] },
      };
  }
}

export function genomicResources(
  chart: Chart,
  results: readonly GenotypeOptions[],
  daysAgo: number,
): FhirResource[] {
  const observations = results.map((r) => observation(chart, r, daysAgo));
  const report: DiagnosticReport = {
    resourceType: 'DiagnosticReport',
    id: chart.nextId('pgx-report', 'panel'),
    status: 'final',
    category: [{ coding: [{ system: SYSTEM.v2Diagnostic, code: 'GE', display: 'Genetics' }] }],
    code: { coding: [loincCoding('51969-4')] },
    subject: chart.subject,
    effectiveDateTime: chart.clock.ago(daysAgo),
    issued: `${chart.clock.ago(daysAgo, '16:00:00').slice(0, 19)}.000Z`,
    result: observations.map((o): Reference => ({ reference: `Observation/${o.id ?? ''}` })),
  };
  return [...observations, report];
}
