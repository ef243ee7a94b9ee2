/**
 * What Augur does today with each messy chart, found by running the regression suite
 * (test/panel/regression.test.ts) against the current services. A `knownDefect` marks a clinically
 * wrong behaviour: the index keeps the correct expectation and the suite marks that test as a known defect.
 */
import type { MessyNote } from '../types.js';

export const AUGUR_TODAY: Record<string, Omit<MessyNote, 'what'>> = {
  'augur-messy-mmol': { augurToday: 'not yet run' },
  'augur-messy-duplicates': { augurToday: 'not yet run' },
  'augur-messy-entered-in-error': { augurToday: 'not yet run' },
  'augur-messy-bp-panel-only': { augurToday: 'not yet run' },
  'augur-messy-icd10-only': { augurToday: 'not yet run' },
  'augur-messy-statin-statement': { augurToday: 'not yet run' },
  'augur-messy-medication-reference': { augurToday: 'not yet run' },
  'augur-messy-ldl-calc-direct': { augurToday: 'not yet run' },
};

export function today(id: string): Omit<MessyNote, 'what'> {
  const t = AUGUR_TODAY[id];
  if (t === undefined) throw new Error(`${id}: no entry in tools/panel/patients/messy-today.ts`);
  return t;
}
