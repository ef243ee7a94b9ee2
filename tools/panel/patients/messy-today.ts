/**
 * What Augur does today with each messy chart, found by running the regression suite
 * (test/panel/regression.test.ts) against the current services. A `knownDefect` marks a clinically
 * wrong behaviour: the index keeps the correct expectation and the suite marks that test as a known
 * defect (`it.fails`) — remove the note here when the defect is fixed.
 */
import type { MessyNote } from '../types.js';

export const AUGUR_TODAY: Record<string, Omit<MessyNote, 'what'>> = {
  'augur-messy-mmol': {
    augurToday:
      'Converts TC, HDL and LDL-C from mmol/L (× 38.67) and shows the cv-intermediate card. Before the panel was built, the molar LDL-C codes (22748-8, 39469-2, 69419-0) were missing from models/valuesets.json: LDL-C counted as missing, so Augur showed a cv-risk card without the statin draft and a lipid-panel card saying "No LDL-C result in 5 years" although one was on file (fixed with the panel).',
  },
  'augur-messy-duplicates': {
    augurToday:
      'Uses the afternoon repeat (the newest result by time): intermediate band with the moderate-intensity draft; the LDL-C filed twice changes nothing.',
  },
  'augur-messy-entered-in-error': {
    augurToday:
      'Ignores both: only final/amended/corrected Observations count, and an entered-in-error Condition never counts. Intermediate band with the moderate-intensity draft.',
  },
  'augur-messy-bp-panel-only': {
    augurToday: 'Reads the systolic component of the 55284-4 panels: the same card as cv-intermediate.',
  },
  'augur-messy-icd10-only': {
    augurToday:
      'Matches the ICD-10-CM codes by prefix (I48, I10, E11, I50): CHA₂DS₂-VASc 5, recommended, apixaban 5 mg.',
  },
  'augur-messy-statin-statement': {
    augurToday:
      'Offers a moderate-intensity atorvastatin draft (cv-statin-suggestion, intermediate band) to a patient already taking atorvastatin 40 mg.',
    knownDefect: {
      services: ['augur-cardiovascular-risk'],
      description:
        'the cardiovascular service reads only MedicationRequests (its prefetch and fetch ask for MedicationRequest?status=active; src/services/cardiovascular/prefetch.ts), so a statin recorded as an active MedicationStatement is not seen and a second statin is drafted',
    },
  },
  'augur-messy-medication-reference': {
    augurToday:
      'Shows af-anticoagulation "recommended" with an apixaban 5 mg draft to a patient already on apixaban; the detail only adds a caveat that one order’s drug could not be identified.',
    knownDefect: {
      services: ['augur-atrial-fibrillation'],
      description:
        'the referenced Medication is neither prefetched nor fetched (MedicationRequest?status=active,on-hold without _include=MedicationRequest:medication), so the anticoagulant cannot be identified and "no anticoagulant on file" is concluded from an unidentified order',
    },
  },
  'augur-messy-ldl-calc-direct': {
    augurToday:
      'Uses the direct LDL-C (196): the severe-LDL pathway with the high-intensity draft. Before the panel was built the choice depended on the order the server returned the two results in (the calculated 184 when it came first: no card at all); fixed with the panel (same-time results ranked by the value set’s order, direct assay first).',
  },
};

export function today(id: string): Omit<MessyNote, 'what'> {
  const t = AUGUR_TODAY[id];
  if (t === undefined) throw new Error(`${id}: no entry in tools/panel/patients/messy-today.ts`);
  return t;
}
