/**
 * The side app's parts of issue 11's card items, in headless Chromium against the real SMART auth
 * server, FHIR server and Augur (test/smart-launch/harness.ts): a cardiovascular card whose LDL-C Augur
 * calculated (Sampson/NIH: no LDL-C reported; TC, HDL-C and triglycerides from one draw) opens the app,
 * which shows the card's indicator badge as the one indicator policy words it, the calculated LDL-C with
 * how and from which results, and PREVENT's "risk context only" note that left the card. Screenshots at
 * side-panel and full width (checked for blank regions) go to test-output/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardiovascularService } from '../../src/services/cardiovascular/service.js';
import {
  aBloodPressure,
  aCondition,
  aMedicationRequest,
  anObservation,
  aPatient,
  coding,
  concept,
  SNOMED,
} from '../support/fhir-builders.js';
import { aPatientViewRequest } from '../support/hook-requests.js';
import { forPatient, hookCards, smartResultId } from './cards.js';
import { startHarness, type Harness } from './harness.js';
import { capture } from './screenshots.js';

const subject = forPatient('ldl1');
let h: Harness;
let serviceId = '';

beforeAll(async () => {
  h = await startHarness({
    services: (deps) => {
      const s = cardiovascularService(deps);
      serviceId = s.definition.id;
      return [s];
    },
  });
  // The patient: a 60-year-old treated smoker with diabetes whose lab reported TC, HDL-C and
  // triglycerides but no LDL-C.
  const drawn = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
  const born = `${String(new Date().getUTCFullYear() - 61)}-03-02`;
  await h.fhir.seed([
    aPatient({ id: 'ldl1', gender: 'male', birthDate: born, race: ['white'] }),
    subject(anObservation({ id: 'tc', loinc: '2093-3', value: 240, unit: 'mg/dL', date: drawn })),
    subject(anObservation({ id: 'hdl', loinc: '2085-9', value: 38, unit: 'mg/dL', date: drawn })),
    subject(anObservation({ id: 'tg', loinc: '2571-8', value: 180, unit: 'mg/dL', date: drawn })),
    subject(aBloodPressure({ id: 'bp', systolic: 158, diastolic: 88, date: drawn })),
    subject(
      anObservation({
        id: 'smk',
        loinc: '72166-2',
        valueCodeableConcept: concept(coding(SNOMED, '449868002', 'Smokes tobacco daily')),
        date: drawn,
      }),
    ),
    subject(aCondition({ id: 'dm', icd10: 'E11.9' })),
    subject(aMedicationRequest({ id: 'lis', rxnorm: '29046', display: 'lisinopril' })),
  ] as never);
});
afterAll(async () => {
  await h.close();
});

describe('side app: indicator badge by the one policy, calculated LDL-C, what left the card', () => {
  it(
    'shows the warning badge with the policy’s words, the LDL-C calculated by Augur and PREVENT’s context note',
    { timeout: 120_000 },
    async () => {
      const cards = await hookCards(
        h,
        serviceId,
        aPatientViewRequest({ patientId: 'ldl1', fhirServer: h.fhir.baseUrl, accessToken: h.accessToken }),
      );
      expect(cards).toHaveLength(1);
      const card = cards[0];
      expect(card?.indicator).toBe('warning'); // a statin draft: action-recommended
      expect(card?.detail).toContain('calculated by Augur (Sampson/NIH)');
      const resultId = smartResultId(card);
      if (resultId === undefined) throw new Error('no smart link');

      const page = await h.newPage();
      await page.setViewportSize({ width: 380, height: 900 });
      expect(await h.ehrLaunch(page, { patientId: 'ldl1', appContext: resultId })).toBe('ready');
      await h.appReady(page);

      const badge = page.locator('#from-card .card-indicator');
      await expect(badge.getAttribute('data-indicator')).resolves.toBe('warning');
      await expect(badge.innerText()).resolves.toBe(
        '⚠ warning — a recommended action the card carries (a draft order, referral or prescription)',
      );
      await expect(badge.getAttribute('title')).resolves.toMatch(/^A strong guideline recommendation/);

      const ldl = page.locator('#from-card .calculated-inputs li[data-input="ldl_cholesterol_mg_dl"]');
      const text = await ldl.innerText();
      expect(text).toMatch(
        /^ƒ LDL-C 169 mg\/dL — calculated by Augur \(Sampson\/NIH\) \(from total cholesterol 240 mg\/dL \(Observation\/tc, /,
      );
      expect(text).toContain('triglycerides 180 mg/dL (Observation/tg, ');
      expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/); // one date format: the user's locale

      // PREVENT left the card; the app says what the card used to: risk context only.
      const prevent = page.locator('section[data-model="prevent-10y"]');
      await expect(prevent.count()).resolves.toBe(1);
      await expect(prevent.locator('details.model-card').textContent()).resolves.toContain(
        'Risk context only: no guideline has endorsed treatment thresholds for PREVENT yet',
      );

      await capture(page, h.browser, 'calculated-ldl');
      expect(h.diagnostics(page).pageErrors).toEqual([]);
    },
  );
});
