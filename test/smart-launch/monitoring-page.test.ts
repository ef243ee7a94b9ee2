/**
 * The monitoring page in headless Chromium, served from the side app's origin under its CSP: a wrong
 * token is refused; the right one shows, per card, how many were shown, accepted and overridden —
 * after real hook calls and real override feedback — and the input drift of the DeepSurv research model
 * (switched on) after a week of older patients, binned by the drift job from the stored results.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Card } from '../../src/cds/types.js';
import { cardiovascularService } from '../../src/services/cardiovascular/service.js';
import { aPatientViewRequest } from '../support/hook-requests.js';
import { aCvPatient, prefetchOf } from '../services/cardiovascular/builders.js';
import { hookCards } from './cards.js';
import { BREAST_RFS_SERVICE_ID, breastRfsService } from '../../src/services/breast-rfs-research/index.js';
import { binStoredResults, distributionsOf } from '../../src/monitoring/drift.js';
import { prefetchFor } from '../services/atrial-fibrillation/harness.js';
import { aBreastPatient } from '../services/breast-rfs-research/builders.js';
import { builtInModels } from '../support/services.js';
import { startHarness, type Harness } from './harness.js';

const TOKEN = 'monitoring-page-token-0123456789abcdef';
let h: Harness;
let serviceId = '';

beforeAll(async () => {
  h = await startHarness({
    services: (deps) => {
      const s = cardiovascularService(deps);
      serviceId = s.definition.id;
      return [s, breastRfsService(deps)];
    },
    file: { services: { [BREAST_RFS_SERVICE_ID]: { enabled: true } } },
    metricsToken: TOKEN,
  });
  // 30 breast-cancer patients aged 75–84 (the model's Rotterdam cohort: 10 % over 74), otherwise typical.
  const breast = breastRfsService(h.augur.deps);
  for (let i = 0; i < 30; i++) {
    const p = aBreastPatient(`drift-${String(i)}`, {
      age: 75 + (i % 10),
      postmenopausal: true,
      tamoxifen: false,
      sizeMm: 30,
      nodes: 1 + (i % 6),
      pgr: 40,
      er: 60,
    });
    await hookCards(
      h,
      BREAST_RFS_SERVICE_ID,
      aPatientViewRequest({ patientId: p.patientId, prefetch: prefetchFor(breast, p) }),
    );
  }
  await binStoredResults(h.augur.store, distributionsOf(await builtInModels()));
  const show = async (id: string): Promise<Card | undefined> => {
    const p = aCvPatient({ id, age: 60, race: 'white', sbp: 140, bpTreated: true });
    const [card] = await hookCards(
      h,
      serviceId,
      aPatientViewRequest({ patientId: id, prefetch: prefetchOf(p, []) }),
    );
    return card;
  };
  const first = await show('mon-1');
  await show('mon-2');
  const path = `/cds-services/${serviceId}/feedback`;
  await request(h.augur.app)
    .post(path)
    .set('authorization', `Bearer ${await h.augur.token(path)}`)
    .send({
      feedback: [
        {
          card: first?.uuid,
          outcome: 'overridden',
          overrideReason: { reason: first?.overrideReasons?.[0] },
          outcomeTimestamp: new Date().toISOString(),
        },
      ],
    })
    .expect(200);
}, 120_000);
afterAll(() => h.close());

describe('monitoring page', () => {
  it('refuses a wrong token and shows per-card rates with the right one', async () => {
    const page = await h.newPage();
    await page.goto(`${h.augurUrl}/smart-launch/monitoring.html`);
    await page.fill('#token', 'not-the-token');
    await page.click('button[type="submit"]');
    await expect(page.locator('#monitoring-status').innerText()).resolves.toBe('The token was not accepted.');

    await page.fill('#token', TOKEN);
    await page.click('button[type="submit"]');
    await page.locator('section.card-rates').first().waitFor({ timeout: 10_000 });
    // The cardiovascular card and the research service's card.
    expect(await page.locator('section.card-rates').count()).toBe(2);
    const section = page.locator(`section.card-rates[data-card="${serviceId} · cv-risk"]`);
    await expect(section.locator('h2').innerText()).resolves.toBe(`${serviceId} · cv-risk`);
    await expect(section.locator('.totals').innerText()).resolves.toBe(
      '2 shown — accepted 0.0 %, overridden 50.0 %',
    );
    const cells = await section.locator('tbody td').allInnerTexts();
    expect(cells.slice(1)).toEqual(['2', '0 (0.0 %)', '1 (50.0 %)']);
    const d = h.diagnostics(page);
    expect(d.pageErrors).toEqual([]);
    // Only the refused token's 401 failed (the browser's own favicon probe is not a page response).
    expect(d.failedResponses).toEqual([`401 GET ${h.augurUrl}/api/monitoring/card-rates?days=30`]);
    expect(d.consoleErrors.filter((e) => /Content Security Policy|Refused/.test(e))).toEqual([]);

    // Input drift: the DeepSurv table, with the thresholds and their source; age flagged in words.
    const drift = page.locator('section.drift');
    await drift.first().waitFor({ timeout: 10_000 });
    await expect(page.locator('#drift .thresholds').innerText()).resolves.toMatch(
      /PSI < 0\.1 stable; 0\.1–0\.25 moderate shift; ≥ 0\.25 significant shift\. Source: .*Siddiqi.*Yurdakul/,
    );
    await expect(drift.locator('h3').innerText()).resolves.toBe('deepsurv-rotterdam-gbsg 0.1.0');
    const age = await drift.locator('tr[data-input="age_years"] td').innerText();
    expect(age).toMatch(/^\d+\.\d{3} \(n 30\) significant shift$/);
    expect(await drift.locator('tr[data-input="age_years"] td.psi-significant').count()).toBe(1);
    await expect(drift.locator('.population').innerText()).resolves.toMatch(/Rotterdam/);
  });
});
