/** SMART scope checks before Augur fetches a prefetch key itself: v1 and v2 syntax, read vs search. */
import { describe, expect, it } from 'vitest';
import { interactionOf, scopeRefusal } from '../../src/cds/prefetch/scopes.js';

const OBS = 'Observation?patient=p1&code=http://loinc.org|2093-3';
const PATIENT = 'Patient/p1';

describe('scopeRefusal', () => {
  const granted: [string, string][] = [
    ['patient/*.* user/*.* launch openid profile online_access', OBS], // the cds-hooks sandbox's allScopes
    ['patient/Observation.read', OBS],
    ['user/Observation.read', OBS],
    ['system/*.read', PATIENT],
    ['patient/Observation.rs', OBS],
    ['patient/Observation.s', OBS],
    ['patient/Patient.r', PATIENT],
    ['patient/*.cruds', OBS],
    ['patient/Observation.rs?category=laboratory', OBS],
    ['launch  patient/Patient.read   patient/Observation.read', PATIENT],
  ];
  for (const [scope, query] of granted) {
    it(`"${scope}" grants ${query}`, () => {
      expect(scopeRefusal(scope, query)).toBeUndefined();
    });
  }

  const refused: [string, string, RegExp][] = [
    ['patient/Patient.read', OBS, /Observation search/],
    ['patient/Observation.write', OBS, /Observation search/],
    ['patient/Observation.r', OBS, /Observation search/], // v2: read without search
    ['patient/Patient.s', PATIENT, /Patient read/], // v2: search without read
    ['patient/Observation.cu', OBS, /Observation search/],
    ['patient/Observation.sr', OBS, /Observation search/], // v2 letters out of order: not a scope
    ['launch openid fhirUser', PATIENT, /Patient read/],
    ['', PATIENT, /Patient read/],
    ['patient/Observations.read', OBS, /Observation search/],
  ];
  for (const [scope, query, why] of refused) {
    it(`"${scope}" does not grant ${query}`, () => {
      expect(scopeRefusal(scope, query)).toMatch(why);
    });
  }

  it('classifies reads and searches; leaves unclassifiable queries to the server', () => {
    expect(interactionOf('Patient/p1')).toEqual({ type: 'Patient', interaction: 'read' });
    expect(interactionOf('Condition?patient=p1')).toEqual({ type: 'Condition', interaction: 'search' });
    expect(interactionOf('Condition')).toEqual({ type: 'Condition', interaction: 'search' });
    expect(scopeRefusal('patient/Patient.read', 'metadata')).toBeUndefined();
  });
});
