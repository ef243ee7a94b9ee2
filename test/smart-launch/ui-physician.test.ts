/**
 * The side app as a physician reads it (issue 11), in real Chromium against the real FHIR server,
 * SMART auth server and Augur (harness.ts), for a 63-year-old man who smokes, has diabetes and AF, is
 * on lisinopril and atorvastatin, has warfarin ordered with genotypes on file but no height or weight:
 * human labels only, one date format (the browser's locale), band badges that say the band, trend
 * axes that do not exaggerate and end today with the lab's reference range shaded, yes/no criteria as
 * checkboxes, each input once with the models that use it, sections collapsed below the headline,
 * waterfall labels that fit at side-panel width, what-if filling a missing input, the PCE of a
 * statin-treated patient labelled untreated-risk, and the what-if's change beside the waterfall's
 * figure with one sentence on why they differ — with the explanation contract (probabilityPoints,
 * reference.label) and without it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FhirResource } from 'fhir/r4.js';
import { LABELS } from '../../smart-launch/src/app/labels.js';
import {
  aBloodPressure,
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
import { repoRoot } from '../../src/config/paths.js';
import { forPatient } from './cards.js';
import { startHarness, type Harness } from './harness.js';
import { capture, openAll, settle } from './screenshots.js';

const PANEL = 380;
const of = forPatient('p3');
const yearsAgo = (n: number, month = 3, day = 2): string =>
  `${String(new Date().getUTCFullYear() - n)}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
const daysAgo = (n: number): string => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

const hdl = of(anObservation({ id: 'hdl', loinc: '2085-9', value: 38, unit: 'mg/dL', date: daysAgo(30) }));
hdl.referenceRange = [
  { low: { value: 40, unit: 'mg/dL', system: 'http://unitsofmeasure.org', code: 'mg/dL' } },
];
const hdlOld = of(
  anObservation({ id: 'hdl0', loinc: '2085-9', value: 41, unit: 'mg/dL', date: daysAgo(400) }),
);

const RECORD: FhirResource[] = [
  aPatient({ id: 'p3', gender: 'male', birthDate: yearsAgo(63), race: ['white'] }),
  of(anObservation({ id: 'tc', loinc: '2093-3', value: 230, unit: 'mg/dL', date: daysAgo(30) })),
  hdl,
  hdlOld,
  of(aBloodPressure({ id: 'bp1', systolic: 147, diastolic: 88, date: daysAgo(300) })),
  of(aBloodPressure({ id: 'bp2', systolic: 153, diastolic: 90, date: daysAgo(150) })),
  of(aBloodPressure({ id: 'bp3', systolic: 148, diastolic: 86, date: daysAgo(20) })),
  of(
    anObservation({
      id: 'smk',
      loinc: '72166-2',
      valueCodeableConcept: concept(coding(SNOMED, '449868002', 'Smokes tobacco daily')),
      date: daysAgo(30),
    }),
  ),
  of(aCondition({ id: 'dm', icd10: 'E11.9' })),
  of(aCondition({ id: 'af', icd10: 'I48.91' })),
  of(aCondition({ id: 'htn', icd10: 'I10' })),
  of(aMedicationRequest({ id: 'lis', rxnorm: '29046', display: 'lisinopril' })),
  of(aMedicationStatement({ id: 'ato', rxnorm: '83367', display: 'atorvastatin 20 mg' })),
  of(aMedicationRequest({ id: 'war', rxnorm: '855332', display: 'warfarin 5 mg', status: 'draft' })),
  of(aGenotype({ shape: 'ig', gene: 'CYP2C9', value: '*1/*3', id: 'g-2c9', date: '2024-02-14' })),
  of(aGenotype({ shape: 'legacy', gene: 'VKORC1', value: '-1639G>A A/G', id: 'g-vk', date: '2024-02-14' })),
];

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await h.fhir.seed(RECORD);
});
afterAll(async () => {
  await h.close();
});

async function open(locale = 'en-GB', before?: (page: Page) => Promise<void>): Promise<Page> {
  const page = await h.newPage({ locale });
  if (before !== undefined) await before(page);
  await page.setViewportSize({ width: PANEL, height: 900 });
  expect(await h.ehrLaunch(page, { patientId: 'p3' })).toBe('ready');
  await h.appReady(page);
  return page;
}

/** The PCE's named reference, as its manifest states it (models/ascvd-pce-10y/model.json). */
const PCE_REFERENCE_LABEL = (
  JSON.parse(readFileSync(join(repoRoot(), 'models/ascvd-pce-10y/model.json'), 'utf8')) as {
    explanation: { referenceLabel: string };
  }
).explanation.referenceLabel;
const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const section = (page: Page, model: string) => page.locator(`section.model[data-model="${model}"]`);
const unfold = async (page: Page, model: string, fold: string): Promise<void> => {
  await section(page, model).locator(`details[data-fold="${fold}"] > summary`).click();
};

/**
 * Every text a person can read or hear: text nodes, labels of canvases, option texts — except the
 * HTI-1 source-attributes listing, a regulatory record that names outputs and inputs by design.
 */
const allText = (page: Page, without = '.source-attributes'): Promise<string> =>
  page.evaluate((selector) => {
    const main = document.getElementById('app')?.cloneNode(true) as HTMLElement | undefined;
    main?.querySelectorAll(selector).forEach((e) => {
      e.remove();
    });
    const aria = Array.from(document.querySelectorAll('[aria-label]')).map((e) =>
      e.getAttribute('aria-label'),
    );
    return `${main?.textContent ?? ''}\n${aria.join('\n')}`;
  }, without);

describe('side app as a physician reads it', () => {
  it('says everything in words: no internal ids, no UCUM units, one date format, bands as bands, statin caveat', async () => {
    const page = await open('en-GB');
    // Charts in open sections drawn, every section open: then read everything.
    await openAll(page, true);
    await settle(page);
    // Every section open, nothing wider than the side panel.
    const wide = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLElement>('#app *'))
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
        .filter(
          (el) =>
            !Array.from(el.children).some((c) => c.getBoundingClientRect().right > window.innerWidth + 1),
        )
        .slice(0, 5)
        .map((el) => `${el.tagName.toLowerCase()}.${el.className} ${el.textContent.slice(0, 60)}`),
    );
    expect(wide).toEqual([]);
    const text = await allText(page);
    const ids = Object.keys(LABELS.valueSets).filter((id) => id.includes('-'));
    expect(ids.filter((id) => new RegExp(`(?<![\\w-])${id}(?![\\w-])`).test(text))).toEqual([]);
    // No input field names (snake_case) either — outside the model card, whose method formulas use them.
    expect(await allText(page, '.source-attributes, details.model-card')).not.toMatch(
      /\b[a-z]+_[a-z0-9]+(?:_[a-z0-9]+)*\b/,
    );
    expect(text).not.toMatch(/\b\d+ a\b/);
    expect(text).not.toMatch(/as a fraction/);
    expect(text).not.toMatch(/ℹ/);
    // No ISO dates and no US-style timestamps: the en-GB browser gets "2 Mar 1963"-style dates.
    expect(text).not.toMatch(/\b\d{4}-\d{2}-\d{2}\b/);
    expect(text).not.toMatch(/\b\d{1,2}\/\d{1,2}\/\d{4}\b/);
    await expect(page.locator('.patient-banner').innerText()).resolves.toMatch(/born 2 Mar \d{4}/);
    await expect(page.locator('.as-of').innerText()).resolves.toMatch(
      /\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d/,
    );
    expect(text).toMatch(/14 Feb 2024/);

    // The PCE band (≥ 20 %): "high risk", the top of four bands — not the card's info indicator.
    const badge = section(page, 'ascvd-pce-10y').locator('dd.primary .band');
    await expect(badge.getAttribute('data-level')).resolves.toBe('4/4');
    await expect(badge.innerText()).resolves.toMatch(/high risk/);
    // On atorvastatin: the PCE is an untreated-risk estimate.
    await expect(
      section(page, 'ascvd-pce-10y').locator('[data-note="untreated-risk"]').innerText(),
    ).resolves.toMatch(/Untreated-risk estimate; not for statin initiation.*MedicationStatement\/ato/);
    // CHA₂DS₂-VASc: "3.2 % per year"-style value under a label without "fraction".
    const cha = section(page, 'cha2ds2-vasc');
    await expect(
      cha.locator('dd[data-output="annual_stroke_rate_band"] .number').innerText(),
    ).resolves.toMatch(/^[\d.]+ % per year$/);
    // KFRE does not apply: the reason names chronic kidney disease in words.
    await expect(page.locator('#not-applicable li[data-model="kfre-4v"]').textContent()).resolves.toMatch(
      /no active diagnosis of chronic kidney disease on file/,
    );
    // US locale: the same dates the US way — the user's locale, not a fixed format.
    const us = await open('en-US');
    await expect(us.locator('.patient-banner').innerText()).resolves.toMatch(/born Mar 2, \d{4}/);
  });

  it('each input once with the models that use it; sections collapsed below the headline; the card’s model first', async () => {
    const page = await open();
    expect(await page.locator('details.fold[open]').count()).toBe(0);
    const headline = section(page, 'ascvd-pce-10y').locator('dd.primary .number');
    expect(await headline.isVisible()).toBe(true);
    const sbp = page.locator('#inputs tbody tr[data-input="systolic_bp_mm_hg"]');
    expect(await sbp.count()).toBe(1);
    const usedBy = (await sbp.locator('.used-by').textContent()) ?? '';
    for (const m of ['Pooled Cohort Equations', 'AHA PREVENT', 'HAS-BLED']) expect(usedBy).toContain(m);
    expect(usedBy).not.toContain(' — ');
    // The per-model tables no longer repeat dates, sources and flags.
    expect(await page.locator('section.model table.inputs-table th:text-is("Source")').count()).toBe(0);
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    // Scannable: the collapsed page at 380 px is a few screens, not 8,000–16,000 px.
    expect(height).toBeLessThan(5000);
    console.log(`page height at ${String(PANEL)} px, collapsed: ${String(height)} px`);
  });

  it('trend axes start sensibly, end today, and shade the lab’s reference range', async () => {
    const page = await open();
    await page.locator('#trends > details > summary').click();
    const sbp = page.locator('figure.trend-figure[data-series="systolic_bp_mm_hg"] .chart');
    await sbp.locator('canvas').waitFor();
    await settle(page);
    const yMin = Number(await sbp.getAttribute('data-y-min'));
    const yMax = Number(await sbp.getAttribute('data-y-max'));
    expect(yMax - yMin).toBeGreaterThanOrEqual(50);
    expect(yMin).toBeLessThanOrEqual(147);
    const xMax = Number(await sbp.getAttribute('data-x-max'));
    expect(Math.abs(xMax - Date.now())).toBeLessThan(2 * 86_400_000);
    await expect(
      page.locator('figure.trend-figure[data-series="hdl_cholesterol_mg_dl"]').getAttribute('data-range'),
    ).resolves.toBe('reference range ≥ 40 mg/dL');
  });

  it('yes/no criteria are checkboxes (HAS-BLED’s SBP > 160 too), and ticking one adds its point', async () => {
    const page = await open();
    await unfold(page, 'has-bled', 'what-if');
    const form = section(page, 'has-bled').locator('.whatif-form');
    await expect(form.locator('input[name="systolic_bp_mm_hg"]').getAttribute('type')).resolves.toBe(
      'checkbox',
    );
    await expect(
      form.locator('label', { hasText: 'Uncontrolled hypertension' }).innerText(),
    ).resolves.not.toMatch(/\(mmHg\)$/);
    // Every HAS-BLED input is a yes/no criterion; no "yes/no" drop-downs anywhere in what-if.
    expect(await form.locator('input[type="checkbox"]').count()).toBe(9);
    expect(await page.locator('.whatif-form select option:text-is("yes")').count()).toBe(0);
    const before = Number(await section(page, 'has-bled').locator('dd.primary').getAttribute('data-value'));
    await form.locator('input[name="systolic_bp_mm_hg"]').check();
    const result = section(page, 'has-bled').locator('.whatif-result[data-state="ok"]');
    await result.waitFor({ timeout: 10_000 });
    await expect(result.locator('dd.primary').getAttribute('data-value')).resolves.toBe(String(before + 1));
  });

  it('what-if fills a missing height and weight for a warfarin dose, marked hypothetical', async () => {
    const page = await open();
    const iwpc = section(page, 'iwpc-warfarin');
    await expect(iwpc.getAttribute('data-status')).resolves.toBe('insufficient-data');
    await expect(iwpc.locator('details[data-fold="what-if"] > summary').innerText()).resolves.toMatch(
      /Enter Height, Weight for a hypothetical estimate/,
    );
    await unfold(page, 'iwpc-warfarin', 'what-if');
    await iwpc.locator('input[name="height_cm"]').fill('178');
    await iwpc.locator('input[name="weight_kg"]').fill('82');
    const result = iwpc.locator('.whatif-result[data-state="ok"]');
    await result.waitFor({ timeout: 10_000 });
    await expect(result.getAttribute('data-filled')).resolves.toBe('true');
    await expect(result.locator('.hypothetical-banner').innerText()).resolves.toMatch(
      /^Hypothetical — not this patient’s record\. .*an estimate from values not in the record/,
    );
    await expect(result.locator('.filled-in').innerText()).resolves.toBe(
      'Filled in, not in the record: Height 178 cm, Weight 82 kg.',
    );
    await expect(result.locator('dd.primary .number').innerText()).resolves.toMatch(/mg\/week/);
    await capture(page, h.browser, 'physician-warfarin-what-if', [PANEL]);
  });

  it('waterfall labels fit at side-panel width', { timeout: 60_000 }, async () => {
    const page = await open();
    for (const m of ['ascvd-pce-10y', 'cha2ds2-vasc', 'has-bled']) {
      await unfold(page, m, 'drivers');
      const holder = section(page, m).locator('.chart-slot .chart');
      await holder.locator('canvas').waitFor();
      await settle(page);
      const label = Number(await holder.getAttribute('data-label-width'));
      const axis = Number(await holder.getAttribute('data-axis-width'));
      expect(label, m).toBeGreaterThan(0);
      expect(label, m).toBeLessThanOrEqual(axis);
      expect(Number(await holder.getAttribute('data-axis-left')), m).toBeGreaterThanOrEqual(0);
    }
  });

  it('what-if beside the waterfall: both numbers and why they differ (without the explanation contract)', async () => {
    // A bring-your-own model's answer may lack the probability-scale values and the named reference:
    // they are stripped from the real answer here, so the app's fallback stays tested.
    const page = await open('en-GB', async (p) => {
      await p.route('**/api/models/ascvd-pce-10y/evaluate', async (route) => {
        const response = await route.fetch();
        const body = (await response.json()) as {
          explanation?: { reference: Record<string, unknown>; contributions: Record<string, unknown>[] };
        };
        if (body.explanation !== undefined) {
          delete body.explanation.reference['label'];
          delete body.explanation.reference['rationale'];
          for (const c of body.explanation.contributions) {
            delete c['probabilityPoints'];
            delete c['outputUnits'];
            delete c['whatIf'];
          }
        }
        await route.fulfill({ response, json: body });
      });
    });
    await unfold(page, 'ascvd-pce-10y', 'what-if');
    await section(page, 'ascvd-pce-10y').locator('input[name="systolic_bp_mm_hg"]').fill('118');
    const vs = section(page, 'ascvd-pce-10y').locator('.whatif-vs-waterfall');
    await vs.waitFor({ timeout: 10_000 });
    const whatIf = (await vs.locator('[data-what="what-if"]').innerText()).replace('−', '-');
    const credited = (await vs.locator('[data-what="waterfall"]').innerText()).replace('−', '-');
    expect(Number.parseFloat(whatIf)).toBeLessThan(-3);
    expect(Number.parseFloat(credited)).toBeGreaterThan(0);
    await expect(vs.locator('.why').innerText()).resolves.toMatch(
      /^The waterfall’s figure is Systolic blood pressure’s share of the change on the model’s .* scale, .*changes Systolic blood pressure alone, from 148 mmHg to 118 mmHg/,
    );
    await capture(page, h.browser, 'physician-what-if-vs-waterfall', [PANEL, 1280]);
  });

  it('with the explanation contract: probability points in the waterfall, "compared with <label>", the Shapley sentence', async () => {
    // The real answer: the explanation core sends probabilityPoints and the manifest's named reference.
    const LABEL = PCE_REFERENCE_LABEL;
    const page = await open();
    await unfold(page, 'ascvd-pce-10y', 'drivers');
    const fig = section(page, 'ascvd-pce-10y').locator('.chart-slot .waterfall-figure');
    await expect(fig.getAttribute('data-amounts')).resolves.toBe('exact-shapley');
    await expect(fig.locator('.compared-with').innerText()).resolves.toMatch(
      new RegExp(`^Compared with ${escapeRegExp(LABEL)}: [\\d.]+%\\. The decision the PCE serves`),
    );
    await expect(fig.locator('canvas').getAttribute('aria-label')).resolves.toContain(`for ${LABEL} to`);
    await unfold(page, 'ascvd-pce-10y', 'what-if');
    await section(page, 'ascvd-pce-10y').locator('input[name="systolic_bp_mm_hg"]').fill('118');
    const vs = section(page, 'ascvd-pce-10y').locator('.whatif-vs-waterfall');
    await vs.waitFor({ timeout: 10_000 });
    await expect(vs.innerText()).resolves.toContain(`(vs ${LABEL})`);
    await expect(vs.locator('.why').innerText()).resolves.toMatch(
      /average effect on the risk over every order/,
    );
  });
});
