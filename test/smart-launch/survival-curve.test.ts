/**
 * The DeepSurv research model's recurrence-free survival curve in the side app, in headless Chromium:
 * launched from the breast-rfs-research card (the site switched the service on), the app draws S(t)
 * for 1–10 years from the card's stored run, with the table equal to the card's figures and the
 * research caveat; screenshots at 380 and 1280 px (blank-region checked).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Card } from '../../src/cds/types.js';
import type { CdsService } from '../../src/cds/service.js';
import { BREAST_RFS_SERVICE_ID, breastRfsService } from '../../src/services/breast-rfs-research/index.js';
import { aPatientViewRequest } from '../support/hook-requests.js';
import { prefetchFor } from '../services/atrial-fibrillation/harness.js';
import { aBreastPatient } from '../services/breast-rfs-research/builders.js';
import { hookCards, smartResultId } from './cards.js';
import { startHarness, type Harness } from './harness.js';
import { capture } from './screenshots.js';

let h: Harness;
let service: CdsService | undefined;
const patient = aBreastPatient('bc1', {
  age: 58,
  postmenopausal: true,
  tamoxifen: true,
  sizeMm: 28,
  nodes: 4,
  pgr: 35,
  er: 80,
});

beforeAll(async () => {
  h = await startHarness({
    services: (deps) => {
      service = breastRfsService(deps);
      return [service];
    },
    file: { services: { [BREAST_RFS_SERVICE_ID]: { enabled: true } } },
  });
  await h.fhir.seed(patient.resources);
}, 120_000);
afterAll(async () => {
  await h.close();
});

describe('side app: survival curve of the research model', () => {
  it(
    'draws recurrence-free survival 1–10 y from the card, with the research caveat',
    { timeout: 120_000 },
    async () => {
      if (service === undefined) throw new Error('no service');
      const cards: Card[] = await hookCards(
        h,
        BREAST_RFS_SERVICE_ID,
        aPatientViewRequest({ patientId: patient.patientId, prefetch: prefetchFor(service, patient) }),
      );
      const resultId = smartResultId(cards[0]);
      if (cards[0] === undefined || resultId === undefined) throw new Error('no card with a smart link');
      const page = await h.newPage();
      await page.setViewportSize({ width: 380, height: 900 });
      expect(await h.ehrLaunch(page, { patientId: patient.patientId, appContext: resultId })).toBe('ready');
      await h.appReady(page);

      const figure = page.locator('section.survival-curve[data-model="deepsurv-rotterdam-gbsg"]');
      await expect(figure.locator('.caveat').innerText()).resolves.toMatch(
        /^Research reproduction, not for treatment decisions: cohorts from 1978–1993/,
      );
      const times = await figure
        .locator('tbody tr')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-time')));
      expect(times).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
      // The table says what the card said, year by year (the card lists 1, 2, 3, 5, 7 and 10 y).
      const survivalAt = async (y: number): Promise<string> =>
        figure
          .locator(`tbody tr[data-time="${String(y)}"] td`)
          .nth(1)
          .innerText();
      for (const y of [1, 2, 3, 5, 7, 10])
        expect(cards[0].detail).toContain(`${String(y)} y: ${await survivalAt(y)}`);
      expect(cards[0].summary).toContain(`${await survivalAt(5)} at 5 y, ${await survivalAt(10)} at 10 y`);
      // The chart is drawn, one point per year.
      const holder = figure.locator('.chart.survival');
      await expect(holder.getAttribute('data-points')).resolves.toBe('10');
      await expect(holder.locator('canvas').getAttribute('aria-label')).resolves.toMatch(
        /recurrence-free survival/,
      );

      // The stored run is not recomputed live (learned models are not listed): said so, not "changed".
      await expect(
        page.locator('#from-card li[data-model="deepsurv-rotterdam-gbsg"]').innerText(),
      ).resolves.toMatch(/not recomputed here \(this app does not list this model\)\.$/);
      await figure.scrollIntoViewIfNeeded();
      await capture(page, h.browser, 'survival-curve');
      const d = h.diagnostics(page);
      expect(d.pageErrors).toEqual([]);
      expect(d.consoleErrors.filter((e) => /Content Security Policy|Refused/.test(e))).toEqual([]);
    },
  );
});
