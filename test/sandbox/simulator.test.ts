/**
 * The Augur sandbox end to end in Chromium: the whole sandbox (FHIR server seeded with the panel, the
 * oidc-provider authorization server, Augur in its own process, the simulator) started as `augur
 * sandbox` starts it, and the simulator page driven like a tester: fire patient-view for a panel patient,
 * launch the side app from a card through the real authorization server and see the card's number,
 * accept a suggestion (actions shown, feedback stored), override with a reason (the next fire is silent
 * for that card), reset the patient's card history (the card is back).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/config/paths.js';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox.js';

const CHROMIUM = process.env['AUGUR_CHROMIUM'] ?? '/usr/bin/chromium';
const ROOT = repoRoot();
const PATIENT = 'augur-example';

let sandbox: Sandbox;
let browser: Browser;
let dataDir: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium is not installed at ${CHROMIUM} (apt-get install -y chromium)`);
  // The side app Augur serves (dist/smart-launch), built when stale — as `augur sandbox` does.
  const builder = (await import(pathToFileURL(join(ROOT, 'tools', 'build-if-stale.mjs')).href)) as {
    ensureAppBuilt: (o: { quiet: boolean }) => Promise<void>;
  };
  await builder.ensureAppBuilt({ quiet: true });
  dataDir = mkdtempSync(join(tmpdir(), 'augur-sandbox-'));
  sandbox = await startSandbox({ root: ROOT, basePort: 0, dataDir, fromSources: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}, 240_000);

afterAll(async () => {
  await browser.close();
  expect(await sandbox.stop()).toBe(0);
  rmSync(dataDir, { recursive: true, force: true });
});

async function openSimulator(): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(sandbox.urls.simulator);
  await page.locator('html[data-ready="true"]').waitFor({ state: 'attached', timeout: 20_000 });
  await page.selectOption('#patient', PATIENT);
  return page;
}

async function firePatientView(page: Page): Promise<void> {
  const before = Number((await page.locator('html').getAttribute('data-fired')) ?? '0');
  await page.click('#fire-patient-view');
  await page
    .locator(`html[data-fired="${String(before + 1)}"]`)
    .waitFor({ state: 'attached', timeout: 60_000 });
}

const card = (page: Page, service: string) => page.locator(`article.card[data-service="${service}"]`);

interface CardRate {
  cardId: string;
  shown: number;
  accepted: number;
  overridden: number;
}

async function cardRates(): Promise<CardRate[]> {
  const res = await fetch(`${sandbox.urls.augur}/api/monitoring/card-rates?days=1`, {
    headers: { authorization: `Bearer ${sandbox.metricsToken}` },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { rows: CardRate[] }).rows;
}

describe('Augur sandbox: the EHR simulator in Chromium', () => {
  it('fires patient-view, launches the side app through the real authorization server, accepts, overrides, resets', async () => {
    const page = await openSimulator();
    await expect(page.locator('#expectation pre').textContent()).resolves.toContain('cv-statin-suggestion');
    await firePatientView(page);

    // Cards as the spec says: indicator, summary, Markdown detail (sanitised HTML), source, suggestions.
    const cv = card(page, 'augur-cardiovascular-risk');
    await expect(cv.getAttribute('data-indicator')).resolves.toBe('warning');
    const summary = (await cv.locator('.summary').innerText()).trim();
    expect(summary).toMatch(/ASCVD risk 36\.1 %/);
    expect(await cv.locator('.detail strong, .detail li, .detail p').count()).toBeGreaterThan(0);
    expect(await cv.locator('.source').innerText()).toMatch(/Source: /);
    expect(await page.locator('.detail script').count()).toBe(0);

    // The inspector: the JWT the simulator signed (ES384, jku, aud = URL called), context, prefetch keys.
    const exchange = page.locator('details.exchange', { hasText: 'augur-cardiovascular-risk' }).first();
    await exchange.evaluate((d) => {
      (d as HTMLDetailsElement).open = true;
    });
    const inspector = await exchange.innerText();
    expect(inspector).toContain('"ES384"');
    expect(inspector).toContain('/.well-known/jwks.json');
    expect(inspector).toContain(`"${sandbox.urls.augur}/cds-services/augur-cardiovascular-risk"`);
    expect(inspector).toMatch(/Prefetch keys sent: .*lipids/);
    expect(inspector).toContain(`"${PATIENT}"`);

    // SMART link → the side app through the authorization server (sign in as the sandbox user, Allow).
    const [app] = await Promise.all([
      page.context().waitForEvent('page'),
      cv.locator('button.smart-launch').click(),
    ]);
    await app.locator('#allow').waitFor({ timeout: 30_000 });
    expect(await app.locator('body').innerText()).toContain('(sandbox user)');
    expect(await app.locator('[data-patient]').getAttribute('data-patient')).toBe(PATIENT);
    await app.click('#allow');
    const problems: string[] = [];
    app.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    app.on('response', (r) => {
      if (r.status() >= 400) problems.push(`${String(r.status())} ${r.url()}`);
    });
    await app
      .locator('html[data-app="ready"]')
      .waitFor({ state: 'attached', timeout: 60_000 })
      .catch(async (err: unknown) => {
        const body = await app
          .locator('body')
          .innerText()
          .catch(() => '');
        throw new Error(
          `side app not ready at ${app.url()}: ${body.slice(0, 600)} ${JSON.stringify(problems)}`,
          { cause: err },
        );
      });
    await expect(app.locator('#from-card .card-summary').innerText()).resolves.toBe(summary);
    const live = await app.locator('section[data-model="ascvd-pce-10y"] dd.primary .number').innerText();
    expect(summary).toContain(live.replace(' %', ''));
    await app.close();

    // Accept the kidney card's suggestion: the exact FHIR actions are shown, feedback is stored.
    const kidney = card(page, 'augur-kidney-risk');
    await kidney.locator('button.accept').first().click();
    await kidney.locator('[data-feedback="accepted"]').waitFor({ timeout: 20_000 });
    const actions = JSON.parse(await kidney.locator('pre.actions').innerText()) as {
      type: string;
      resource?: { resourceType?: string };
    }[];
    expect(actions[0]?.type).toBe('create');
    expect(actions[0]?.resource?.resourceType).toBe('ServiceRequest');
    const rates = await cardRates();
    expect(rates.find((r) => r.cardId === 'kfre-risk')?.accepted).toBe(1);

    // Override the AF card with a reason: overridden feedback; the next fire is silent for it.
    const af = card(page, 'augur-atrial-fibrillation');
    expect(await af.locator('select.override-reason option').count()).toBeGreaterThan(0);
    await af.locator('button.override').click();
    await af.locator('[data-feedback="overridden"]').waitFor({ timeout: 20_000 });
    expect((await cardRates()).find((r) => r.cardId === 'af-anticoagulation')?.overridden).toBe(1);

    await firePatientView(page);
    expect(await card(page, 'augur-atrial-fibrillation').count()).toBe(0);
    expect(await card(page, 'augur-kidney-risk').count()).toBe(0);
    expect(await card(page, 'augur-cardiovascular-risk').count()).toBe(1);

    // Reset this patient's card history: the cards come back.
    await page.click('#reset-history');
    await page.locator('#reset-status', { hasText: 'removed' }).waitFor({ timeout: 20_000 });
    await firePatientView(page);
    expect(await card(page, 'augur-atrial-fibrillation').count()).toBe(1);
    expect(await card(page, 'augur-kidney-risk').count()).toBe(1);
  }, 240_000);

  it('order-select for a CPIC drug shows the PGx card; an unknown drug is refused with a clear error', async () => {
    const page = await openSimulator();
    await page.selectOption('#drug', '309362'); // clopidogrel 75 MG Oral Tablet
    await page.click('#fire-order-select');
    await page.locator('article.card[data-service="augur-pgx-order-select"]').waitFor({ timeout: 60_000 });
    expect(
      await page.locator('article.card[data-service="augur-pgx-order-select"] .summary').innerText(),
    ).toMatch(/Clopidogrel/);

    const res = await fetch(`${sandbox.urls.simulator}api/fire`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ hook: 'order-select', patientId: PATIENT, drugs: ['0000'] }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toContain('unknown drug 0000');
  }, 120_000);
});
