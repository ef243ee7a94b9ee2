/**
 * Keyboard and accessibility of the side app in real Chromium (test/smart-launch/harness.ts), at the
 * width of an EHR side panel (380 px) with a patient whose page has every kind of section: risk models,
 * a model that does not apply, IWPC (warfarin ordered), trends and PGx. Tabbing from the top reaches
 * every visible interactive control, each with a visible focus indicator (≥ 3:1 against its
 * background) and a non-empty accessible name as Chromium computes it; what-if inputs are labelled;
 * the waterfall canvas has a text equivalent; a what-if change can be made from the keyboard alone.
 * Also: opened from a PGx card (hook answered from prefetch), the card's stored findings show the
 * genotype → phenotype → recommendation chain with the guideline link, next to the live findings.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FhirResource, MedicationRequest } from 'fhir/r4.js';
import { pgxPatientViewService } from '../../src/services/pgx/patient-view.js';
import {
  aBloodPressure,
  aBundle,
  aCondition,
  aGenotype,
  aMedicationRequest,
  aMedicationStatement,
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
import { repoRoot } from '../../src/config/paths.js';

/** The PCE's named reference, as its manifest states it. */
const PCE_REFERENCE_LABEL = (
  JSON.parse(readFileSync(join(repoRoot(), 'models/ascvd-pce-10y/model.json'), 'utf8')) as {
    explanation: { referenceLabel: string };
  }
).explanation.referenceLabel;

const PANEL = 380;
const of = forPatient('p2');

/** A 67-year-old woman: AF and hypertension, lipids and BP, CYP2C19/CYP2C9/VKORC1 and an unreadable SLCO1B1 result, clopidogrel, simvastatin, warfarin ordered. */
const RECORD: FhirResource[] = [
  aPatient({ id: 'p2', gender: 'female', birthDate: '1959-04-12', race: ['white'] }),
  of(anObservation({ id: 'tc', loinc: '2093-3', value: 221, unit: 'mg/dL', date: '2026-05-02' })),
  of(anObservation({ id: 'hdl', loinc: '2085-9', value: 48, unit: 'mg/dL', date: '2026-05-02' })),
  of(aBloodPressure({ id: 'bpa', systolic: 158, diastolic: 92, date: '2025-09-01' })),
  of(aBloodPressure({ id: 'bpb', systolic: 144, diastolic: 88, date: '2026-09-20' })),
  of(
    anObservation({
      id: 'smk',
      loinc: '72166-2',
      valueCodeableConcept: concept(coding(SNOMED, '8517006', 'Ex-smoker')),
      date: '2026-05-02',
    }),
  ),
  of(aCondition({ id: 'af', icd10: 'I48.91' })),
  of(aCondition({ id: 'htn', icd10: 'I10' })),
  of(aGenotype({ shape: 'ig', gene: 'CYP2C19', value: '*1/*2', id: 'g-2c19', date: '2024-02-14' })),
  of(aGenotype({ shape: 'ig', gene: 'CYP2C9', value: '*1/*3', id: 'g-2c9', date: '2024-02-14' })),
  of(aGenotype({ shape: 'legacy', gene: 'VKORC1', value: '-1639G>A A/G', id: 'g-vk', date: '2024-02-14' })),
  of(aGenotype({ shape: 'legacy', gene: 'SLCO1B1', value: 'see scanned report', id: 'g-slco' })),
  of(aMedicationRequest({ id: 'clo', rxnorm: '32968', display: 'clopidogrel 75 mg tablet' })),
  of(aMedicationStatement({ id: 'sim', rxnorm: '36567', display: 'simvastatin 20 mg' })),
  of(aMedicationRequest({ id: 'war', rxnorm: '855332', display: 'warfarin 5 mg', status: 'draft' })),
];

let h: Harness;
let pgxServiceId = '';

beforeAll(async () => {
  h = await startHarness({
    services: (deps) => {
      const s = pgxPatientViewService(deps);
      pgxServiceId = s.definition.id;
      return [s];
    },
  });
  await h.fhir.seed(RECORD);
});
afterAll(async () => {
  await h.close();
});

async function open(page: Page, appContext?: string): Promise<void> {
  await page.setViewportSize({ width: PANEL, height: 900 });
  expect(
    await h.ehrLaunch(page, { patientId: 'p2', ...(appContext === undefined ? {} : { appContext }) }),
  ).toBe('ready');
  await h.appReady(page);
}

interface Focused {
  key: string;
  tag: string;
  role: string;
  name: string;
  outline: { style: string; width: number; color: string; background: string };
  rect: { left: number; right: number };
}

/** The focused element: a stable key, its outline against the nearest opaque background, and its accessible name and role as Chromium computes them. */
async function focused(page: Page, cdp: CDPSession): Promise<Focused | undefined> {
  const info = await page.evaluate(() => {
    const el = document.activeElement;
    if (el === null || el === document.body || el === document.documentElement) return undefined;
    if (el.id === '') el.id = `kb-${String(Math.random()).slice(2)}`;
    const cs = getComputedStyle(el);
    let bg = 'rgba(0, 0, 0, 0)';
    for (let n: Element | null = el.parentElement; n !== null; n = n.parentElement) {
      const c = getComputedStyle(n).backgroundColor;
      if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') {
        bg = c;
        break;
      }
    }
    const r = el.getBoundingClientRect();
    return {
      key: el.id,
      tag: el.tagName.toLowerCase(),
      outline: {
        style: cs.outlineStyle,
        width: Number.parseFloat(cs.outlineWidth),
        color: cs.outlineColor,
        background: bg === 'rgba(0, 0, 0, 0)' ? 'rgb(255, 255, 255)' : bg,
      },
      rect: { left: r.left, right: r.right },
    };
  });
  if (info === undefined) return undefined;
  const { result } = await cdp.send('Runtime.evaluate', { expression: 'document.activeElement' });
  const ax = await cdp.send('Accessibility.getPartialAXTree', {
    objectId: result.objectId ?? '',
    fetchRelatives: false,
  });
  const node = ax.nodes.find((n) => !n.ignored) ?? ax.nodes[0];
  return {
    ...info,
    role: String(node?.role?.value ?? ''),
    name: String(node?.name?.value ?? '').trim(),
  };
}

/** WCAG relative-luminance contrast of two `rgb(…)` colours. */
function contrast(a: string, b: string): number {
  const lum = (c: string): number => {
    const [r, g, bl] = (c.match(/[\d.]+/g) ?? []).slice(0, 3).map((x) => {
      const v = Number(x) / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (bl ?? 0);
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05);
}

/** Ids of every visible, keyboard-focusable control (ids assigned where missing). */
async function visibleControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const sel =
      'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea, summary, [tabindex]:not([tabindex="-1"])';
    return Array.from(document.querySelectorAll<HTMLElement>(sel))
      .filter((el) => el.checkVisibility() && el.getClientRects().length > 0)
      .map((el) => {
        if (el.id === '') el.id = `kb-${String(Math.random()).slice(2)}`;
        return el.id;
      });
  });
}

describe('side app: keyboard and accessibility at side-panel width', () => {
  it('tabbing reaches every visible control, each with a visible focus style and an accessible name', async () => {
    const page = await h.newPage();
    await open(page);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Accessibility.enable');
    const expected = await visibleControls(page);
    expect(expected.length).toBeGreaterThan(20);

    const seen: Focused[] = [];
    await page.locator('body').focus();
    for (let i = 0; i < expected.length + 20; i++) {
      await page.keyboard.press('Tab');
      const f = await focused(page, cdp);
      if (f === undefined || seen.some((s) => s.key === f.key)) break;
      seen.push(f);
    }
    const reached = new Set(seen.map((s) => s.key));
    const missed = expected.filter((id) => !reached.has(id));
    expect(missed).toEqual([]);

    const problems = seen.flatMap((f) => {
      const what = `${f.tag}#${f.key} "${f.name}"`;
      const out: string[] = [];
      if (f.name === '') out.push(`${what}: no accessible name`);
      if (f.outline.style === 'none' || f.outline.width < 2) out.push(`${what}: no visible focus outline`);
      else if (contrast(f.outline.color, f.outline.background) < 3)
        out.push(
          `${what}: focus outline ${f.outline.color} on ${f.outline.background} is below 3:1 (${contrast(f.outline.color, f.outline.background).toFixed(2)})`,
        );
      if (f.rect.left < -1 || f.rect.right > PANEL + 1)
        out.push(`${what}: outside the ${String(PANEL)} px panel (${f.rect.left}–${f.rect.right})`);
      return out;
    });
    expect(problems).toEqual([]);
    // The first stop is the skip link, and it works.
    expect(seen[0]?.name).toBe('Skip to results');
    // No horizontal scrolling of the page at panel width.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PANEL);
    expect(h.diagnostics(page).pageErrors).toEqual([]);
  });

  it('what-if inputs are labelled and usable from the keyboard; the waterfall has a text equivalent', async () => {
    const page = await h.newPage();
    await open(page);
    const section = page.locator('section[data-model="ascvd-pce-10y"]');
    await section.waitFor();
    // Below the headline the sections are collapsed: open the explanation and what-if from the keyboard.
    await section.locator('details[data-fold="drivers"] > summary').focus();
    await page.keyboard.press('Enter');
    await section.locator('details[data-fold="what-if"] > summary').focus();
    await page.keyboard.press('Enter');

    // Every what-if control has a <label for> naming it, with the unit for numbers.
    const unlabelled = await page.evaluate(() =>
      Array.from(
        document.querySelectorAll<HTMLInputElement | HTMLSelectElement>(
          '.whatif-form input, .whatif-form select',
        ),
      )
        .filter((el) => {
          const label = document.querySelector(`label[for="${CSS.escape(el.id)}"]`);
          return label === null || label.textContent.trim() === '';
        })
        .map((el) => el.name),
    );
    expect(unlabelled).toEqual([]);
    await expect(
      section
        .locator('.whatif-form')
        .getByLabel(/Systolic/)
        .getAttribute('name'),
    ).resolves.toBe('systolic_bp_mm_hg');

    // The waterfall canvas is an image whose name states the result and the largest effects; the
    // table beside it lists every input with its effect.
    const canvas = section.locator('.waterfall-figure canvas').first();
    await expect(canvas.getAttribute('role')).resolves.toBe('img');
    const label = (await canvas.getAttribute('aria-label')) ?? '';
    // The reference is named in the manifest's words (models/ascvd-pce-10y/model.json referenceLabel).
    expect(label).toMatch(/^Waterfall chart: .* goes from [\d.]+% for /);
    expect(label).toContain(`for ${PCE_REFERENCE_LABEL} to `);
    expect(label).toMatch(/Largest effects: /);
    const rows = section.locator('.table-slot table.inputs-table tbody tr');
    expect(await rows.count()).toBe(9);
    await expect(section.locator('.table-slot caption').innerText()).resolves.toMatch(/Inputs used/);

    // Keyboard only: focus the SBP field by tabbing, type a value, get a hypothetical estimate.
    const sbp = section.locator('input[name="systolic_bp_mm_hg"]');
    await page.locator('body').focus();
    let found = false;
    for (let i = 0; i < 300 && !found; i++) {
      await page.keyboard.press('Tab');
      found = await sbp.evaluate((el) => el === document.activeElement);
    }
    expect(found).toBe(true);
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('120');
    const result = section.locator('.whatif-result[data-state="ok"]');
    await result.waitFor({ timeout: 10_000 });
    await expect(result.locator('.hypothetical-banner').innerText()).resolves.toMatch(/^Hypothetical/);
    await expect(result.getAttribute('aria-live')).resolves.toBe('polite');
    await section.locator('.whatif').screenshot({ path: `${SHOTS}/a11y-what-if-keyboard.png` });
  });

  it(
    'lists the models by the rule: IWPC with warfarin ordered, no learned model; PGx computed live',
    { timeout: 90_000 },
    async () => {
      const page = await h.newPage();
      await open(page);
      const listed = await page
        .locator('section.model[data-model]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-model')));
      expect(listed).toContain('iwpc-warfarin');
      expect(listed).toContain('cha2ds2-vasc');
      expect(listed).not.toContain('learned-pima-diabetes');
      expect(await page.locator('[data-model="learned-pima-diabetes"]').count()).toBe(0);
      // KFRE: no CKD → does not apply, with the reason.
      // (Collapsed under its heading: textContent, not the rendered text.)
      await expect(page.locator('#not-applicable li[data-model="kfre-4v"]').textContent()).resolves.toMatch(
        /does not apply: /,
      );

      const pgx = page.locator('#pgx');
      // Collapsed under its heading until opened (it leads the page only when opened from a PGx card).
      await pgx.locator(':scope > details > summary').click();
      const clo = pgx.locator('ul[data-live] li[data-drug="clopidogrel"]');
      await expect(clo.getAttribute('data-kind')).resolves.toBe('actionable');
      await expect(clo.innerText()).resolves.toMatch(/CYP2C19 \*1\/\*2[\s\S]*intermediate metabolizer/);
      await expect(clo.locator('.recommendation').innerText()).resolves.toMatch(
        /prasugrel or ticagrelor.*strength: strong/,
      );
      await expect(clo.locator('.guideline a').getAttribute('href')).resolves.toMatch(
        /^https:\/\/cpicpgx\.org\//,
      );
      const slco = pgx.locator('.pgx-genes li[data-gene="SLCO1B1"]');
      await expect(slco.getAttribute('data-status')).resolves.toBe('uninterpretable');
      await expect(slco.innerText()).resolves.toMatch(/Not interpretable — not treated as normal/);
      await expect(pgx.locator('li[data-drug="simvastatin"]').getAttribute('data-kind')).resolves.toBe(
        'uninterpretable',
      );
      await capture(page, h.browser, 'af-warfarin-pgx');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
      await openAll(page);
      await capture(page, h.browser, 'af-warfarin-pgx-expanded');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    },
  );
});

describe('side app opened from a PGx card', () => {
  it(
    'shows the card’s stored findings (gene → phenotype → recommendation, guideline) before the models',
    { timeout: 60_000 },
    async () => {
      const byType = (t: string) => RECORD.filter((r) => r.resourceType === t);
      // The hook answered from prefetch (no fhirServer: the harness's EHR client allows none yet).
      const cards = await hookCards(
        h,
        pgxServiceId,
        aPatientViewRequest({
          patientId: 'p2',
          prefetch: {
            patient: byType('Patient')[0],
            observations: aBundle(byType('Observation')),
            medications: aBundle(
              byType('MedicationRequest').filter((r) => (r as MedicationRequest).status === 'active'),
            ),
            statements: aBundle(byType('MedicationStatement')),
          },
        }),
      );
      const card = cards[0];
      const resultId = smartResultId(card);
      if (card === undefined || resultId === undefined) throw new Error('no PGx card with a SMART link');

      const page = await h.newPage();
      await open(page, resultId);
      await expect(page.locator('#from-card .card-summary').innerText()).resolves.toBe(card.summary);
      const stored = page.locator('#pgx-from-card li[data-drug="clopidogrel"]');
      await expect(stored.getAttribute('data-kind')).resolves.toBe('actionable');
      await expect(stored.locator('li[data-gene="CYP2C19"]').innerText()).resolves.toMatch(
        /CYP2C19 \*1\/\*2[\s\S]*intermediate metabolizer[\s\S]*Feb 14, 2024/,
      );
      await expect(stored.locator('.guideline a').getAttribute('href')).resolves.toMatch(/cpicpgx\.org/);
      // The PGx section comes before the first model section.
      const order = await page.evaluate(() => {
        const pgx = document.getElementById('pgx');
        const model = document.querySelector('section.model');
        return pgx !== null && model !== null && (pgx.compareDocumentPosition(model) & 4) !== 0;
      });
      expect(order).toBe(true);
      await capture(page, h.browser, 'from-pgx-card');
      expect(h.diagnostics(page).pageErrors).toEqual([]);
    },
  );
});
