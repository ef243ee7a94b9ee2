/** Synthetic patients for the breast-rfs-research service (site-local coded observations, see its README). */
import type { Condition, FhirResource, Observation } from 'fhir/r4.js';
import { condition, medicationRequest, person } from '../atrial-fibrillation/builders.js';
import type { Scenario } from '../atrial-fibrillation/harness.js';

const LOCAL = 'urn:augur:local';
const about = (p: string) => ({ subject: { reference: `Patient/${p}` } });

export function localObservation(p: string, code: string, value: number, unit: string): Observation {
  return {
    resourceType: 'Observation',
    id: `${p}-${code}`,
    status: 'final',
    code: { coding: [{ system: LOCAL, code }] },
    effectiveDateTime: '2026-09-01',
    valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: unit },
    ...about(p),
  };
}

export function postmenopausal(p: string): Condition {
  return {
    resourceType: 'Condition',
    id: `${p}-meno`,
    clinicalStatus: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
    },
    code: {
      coding: [{ system: 'http://snomed.info/sct', code: '76498008', display: 'Postmenopausal state' }],
    },
    ...about(p),
  };
}

/** The model's seven inputs, as the Rotterdam / GBSG columns name them. */
export interface BreastValues {
  age: number;
  postmenopausal: boolean;
  tamoxifen: boolean;
  sizeMm: number;
  nodes: number;
  pgr: number;
  er: number;
}

/** A woman with an active breast cancer Condition and the given inputs. */
export function aBreastPatient(p: string, v: BreastValues, withCancer = true): Scenario {
  const resources: FhirResource[] = [
    person(p, 'female', v.age),
    localObservation(p, 'breast-tumour-size-mm', v.sizeMm, 'mm'),
    localObservation(p, 'breast-positive-lymph-nodes', v.nodes, '1'),
    localObservation(p, 'breast-progesterone-receptor-fmol', v.pgr, 'fmol/L'),
    localObservation(p, 'breast-estrogen-receptor-fmol', v.er, 'fmol/L'),
  ];
  if (v.postmenopausal) resources.push(postmenopausal(p));
  if (v.tamoxifen) resources.push(medicationRequest(p, `${p}-tam`, { code: '10324', display: 'tamoxifen' }));
  if (withCancer) resources.push(condition(p, `${p}-bc`, 'C50.912', '2026-05-01'));
  return { patientId: p, resources };
}
