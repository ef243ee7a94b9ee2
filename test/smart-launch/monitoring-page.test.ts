/**
 * The monitoring page in headless Chromium, served from the side app's origin under its CSP: a wrong
 * token is refused; the right one shows, per card, how many were shown, accepted and overridden —
 * after real hook calls and real override feedback.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Card } from '../../src/cds/types.js';
import { cardiovascularService } from '../../src/services/cardiovascular/service.js';
import { aPatientViewRequest } from '../support/hook-requests.js';
import { aCvPatient, prefetchOf } from '../services/cardiovascular/builders.js';
import { hookCards } from './cards.js';
import { startHarness, type Harness } from './harness.js';

const TOKEN = 'monitoring-page-token-0123456789abcdef';
let h: Harness;
let serviceId = '';

beforeAll(async () => {
  h = await startHarness({
    services: (deps) => {
      const s = cardiovascularService(deps);
      serviceId = s.definition.id;
      return [s];
    },
    metricsToken: TOKEN,
  });
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
    const section = page.locator('section.card-rates');
    await section.first().waitFor({ timeout: 10_000 });
    expect(await section.count()).toBe(1);
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
  });
});
