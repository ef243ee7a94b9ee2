/**
 * The side app's UI in headless Chromium against the real SMART auth server, the real FHIR server and
 * Augur (test/smart-launch/harness.ts): launched from a cardiovascular card, the page shows the number
 * the card's stored result holds, recomputed live from FHIR; what-if changes the estimate; screenshots
 * at side-panel and full width go to test-output/screenshots/ (gitignored) for a person to look at.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Card } from '../../src/cds/types.js';
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
import { capture, openAll, SHOTS } from './screenshots.js';

const subject = forPatient('p1');

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
  await h.fhir.seed([
    aPatient({ id: 'p1', gender: 'male', birthDate: '1966-03-02', race: ['white'] }),
    subject(anObservation({ id: 'tc1', loinc: '2093-3', value: 238, unit: 'mg/dL', date: '2025-05-10' })),
    subject(anObservation({ id: 'tc2', loinc: '2093-3', value: 229, unit: 'mg/dL', date: '2026-06-01' })),
    subject(anObservation({ id: 'hdl', loinc: '2085-9', value: 41, unit: 'mg/dL', date: '2026-06-01' })),
    subject(aBloodPressure({ id: 'bp1', systolic: 152, diastolic: 90, date: '2025-11-01' })),
    subject(aBloodPressure({ id: 'bp2', systolic: 148, diastolic: 86, date: '2026-10-01' })),
    subject(
      anObservation({
        id: 'smk',
        loinc: '72166-2',
        valueCodeableConcept: concept(coding(SNOMED, '449868002', 'Smokes tobacco daily')),
        date: '2026-06-01',
      }),
    ),
    subject(aCondition({ id: 'dm', icd10: 'E11.9' })),
    subject(aMedicationRequest({ id: 'lis', rxnorm: '29046', display: 'lisinopril' })),
  ] as never);
});
afterAll(async () => {
  await h.close();
});

/** The card the cardiovascular service shows for p1, and the result id its SMART link carries. */
async function openCard(): Promise<{ card: Card; resultId: string }> {
  const cards = await hookCards(
    h,
    serviceId,
    aPatientViewRequest({ patientId: 'p1', fhirServer: h.fhir.baseUrl, accessToken: h.accessToken }),
  );
  const card = cards.find((c) => smartResultId(c) !== undefined);
  const resultId = smartResultId(card);
  if (card === undefined || resultId === undefined) throw new Error('no card with a smart link');
  return { card, resultId };
}

describe('side app UI', () => {
  it(
    'shows the number the card showed, recomputed live, and what-if changes the estimate',
    { timeout: 120_000 },
    async () => {
      const { card, resultId } = await openCard();
      const page = await h.newPage();
      await page.setViewportSize({ width: 380, height: 900 });
      expect(await h.ehrLaunch(page, { patientId: 'p1', appContext: resultId })).toBe('ready');
      await h.appReady(page);

      await expect(page.locator('#from-card .card-summary').innerText()).resolves.toBe(card.summary);
      // A cardiovascular card's stored findings are its own shape: no PGx "from the card" block.
      expect(await page.locator('#pgx-from-card').count()).toBe(0);
      // The card's model comes first among the model sections.
      await expect(page.locator('section.model').first().getAttribute('data-model')).resolves.toBe(
        'ascvd-pce-10y',
      );
      const pce = page.locator('#from-card li[data-model="ascvd-pce-10y"]');
      expect(await pce.getAttribute('data-same')).toBe('true');
      const storedText = await pce.locator('.stored-value').innerText();
      // The number in the card's summary is the one the stored result and the live section show.
      const live = await page.locator('section[data-model="ascvd-pce-10y"] dd.primary .number').innerText();
      expect(storedText.startsWith(live)).toBe(true);
      expect(card.summary).toContain(live.replace(' %', ''));
      // Every view at side-panel and full width, collapsed as it opens and with every section open.
      await capture(page, h.browser, 'from-card');
      await openAll(page);
      await capture(page, h.browser, 'from-card-expanded');
      await page.setViewportSize({ width: 380, height: 900 });

      const section = page.locator('section[data-model="ascvd-pce-10y"]');
      await section.locator('input[name="systolic_bp_mm_hg"]').fill('118');
      const result = section.locator('.whatif-result[data-state="ok"]');
      await result.waitFor({ timeout: 10_000 });
      const hypothetical = await result.locator('dd.primary .number').innerText();
      expect(hypothetical).not.toBe(live);
      expect(Number.parseFloat(hypothetical)).toBeLessThan(Number.parseFloat(live));
      await expect(result.locator('.hypothetical-banner').innerText()).resolves.toMatch(/Hypothetical/);
      await section.locator('.whatif').screenshot({ path: `${SHOTS}/side-panel-what-if.png` });

      await capture(page, h.browser, 'from-card-what-if');

      // "About this model" for the card's model, opened alone (every model's at once is a 57,000 px
      // page that no screenshot can hold): the model card with its HTI-1 source attributes.
      const opened = await page.evaluate(() => {
        document.querySelectorAll('details').forEach((d) => {
          d.open = false;
        });
        const about = Array.from(
          document.querySelectorAll(
            'section[data-model="ascvd-pce-10y"] details.model-card, section[data-model="ascvd-pce-10y"] details.source-attributes',
          ),
        );
        for (const d of about) {
          for (let e: Element | null = d; e !== null; e = e.parentElement?.closest('details') ?? null)
            if (e instanceof HTMLDetailsElement) e.open = true;
        }
        return about.length;
      });
      expect(opened).toBe(2);
      await capture(page, h.browser, 'about-this-model');
      expect(h.diagnostics(page).pageErrors).toEqual([]);
      expect(h.diagnostics(page).consoleErrors.filter((e) => e.includes('Content Security Policy'))).toEqual(
        [],
      );
    },
  );

  it('without an appContext rebuilds from the launch context, with no error', async () => {
    const page = await h.newPage();
    expect(await h.ehrLaunch(page, { patientId: 'p1' })).toBe('ready');
    await h.appReady(page);
    expect(await page.locator('#from-card').count()).toBe(0);
    await expect(
      page.locator('section[data-model="ascvd-pce-10y"] dd.primary .number').innerText(),
    ).resolves.toMatch(/%$/);
  });
});
