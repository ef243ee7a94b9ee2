/**
 * The cardiovascular service's card data (`cards/cardiovascular.json`): its schema and the start-up
 * checks that go beyond shape — band ids, template placeholders, statin drafts whose RxNorm codes are
 * real statin products (models/rxnorm-ingredients.json, the statin value set), supporting inputs whose
 * value sets exist. Every error names the file and the field.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import {
  bandsSchema,
  CardDataError,
  CardFileHeader,
  cardsDir,
  CodingSchema,
  loadCardFile,
  OverrideReasonsSchema,
  placeholders,
  render,
  SourceSchema,
} from '../../cards/data.js';
import { SUMMARY_MAX } from '../../cards/build.js';
import { repoRoot } from '../../config/paths.js';
import { getValueSet, inValueSet, type ValueSetIndex } from '../../features/valuesets.js';
import { InputSpec } from '../../models/manifest.js';
import { indicatorFor, SITUATIONS } from '../../cards/indicator-policy.js';

export const CARD_IDS = ['cv-risk', 'cv-statin-suggestion', 'cv-lipids-missing'] as const;
export type CardId = (typeof CARD_IDS)[number];

const text = z.string().min(1);
const CardDef = z
  .object({ source: SourceSchema, overrideReasons: OverrideReasonsSchema, rationale: text })
  .strict();
const BandPolicy = z.object({ show: z.boolean(), meaning: text, rationale: text }).strict();
const Intensity = z.enum(['moderate', 'high']);

const StatinRule = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/),
    when: z
      .object({
        ageMin: z.number().optional(),
        ageMax: z.number().optional(),
        ldlMin: z.number().optional(),
        ldlBelow: z.number().optional(),
        diabetes: z.boolean().optional(),
        pceBands: z.array(z.string().min(1)).min(1).optional(),
      })
      .strict(),
    intensity: Intensity,
    /**
     * The situation a card offering this rule's draft describes; its indicator follows from the one
     * indicator policy (cards/indicator-policy.json), never from this file.
     */
    situation: z.enum(SITUATIONS),
    /** Summary template: `{ldl}`; rules keyed on a PCE band may also use `{risk}` and `{band}`. */
    summary: text,
    recommendation: text,
    citation: text,
  })
  .strict();
export type StatinRule = z.infer<typeof StatinRule>;

const StatinDraft = z
  .object({
    coding: CodingSchema,
    doseMg: z.number().positive(),
    label: text,
    dosageText: text,
    intensityLabel: text,
  })
  .strict();
export type StatinDraft = z.infer<typeof StatinDraft>;

const Intent = z.enum(['proposal', 'plan', 'order']);

export const CardiovascularCardFile = z
  .object({
    $comment: text.optional(),
    ...CardFileHeader,
    rationale: z.record(z.string(), text),
    service: z.object({ id: z.string().regex(/^[a-z][a-z0-9-]*$/), title: text, description: text }).strict(),
    cards: z
      .object({ 'cv-risk': CardDef, 'cv-statin-suggestion': CardDef, 'cv-lipids-missing': CardDef })
      .strict(),
    pce: z
      .object({
        modelId: text,
        output: text,
        bands: bandsSchema,
        bandPolicy: z.record(z.string(), BandPolicy),
        onStatinNote: text,
        showWhenOnStatin: z.boolean(),
        showWhenOnStatinRationale: text,
        indicatorRationale: text,
      })
      .strict(),
    severeLdl: z
      .object({
        minMgDl: z.number().positive(),
        /** The situation of the severe-LDL card without a draft (indicator by the policy). */
        situation: z.enum(SITUATIONS),
        showWhenOnStatin: z.boolean(),
        meaning: text,
        notApplicableReason: text,
        rationale: text,
      })
      .strict(),
    prevent: z
      .object({
        runs: z.array(z.object({ modelId: text, horizon: text }).strict()).min(1),
        outputs: z.array(z.object({ name: text, label: text }).strict()).min(1),
        variants: z.record(z.string(), text),
        contextNote: text,
        rationale: text,
      })
      .strict(),
    statin: z
      .object({
        requireFreshLipids: z.boolean(),
        requireFreshLipidsRationale: text,
        rules: z.array(StatinRule).min(1),
        rulesRationale: text,
        medications: z.object({ moderate: StatinDraft, high: StatinDraft }).strict(),
        intent: Intent,
        intentRationale: text,
      })
      .strict(),
    lipids: z
      .object({
        inputs: z.array(text).min(1),
        /** Lower-case names of the lipid inputs, for running text. */
        names: z.record(z.string(), text),
        order: z.object({ coding: CodingSchema, text, label: text, description: text }).strict(),
        intent: Intent,
      })
      .strict(),
    labels: z.record(z.string(), text),
    factorInputs: z.array(text).min(1),
    factorInputsRationale: text,
    supportingInputs: z.array(InputSpec).min(1),
    text: z
      .object({
        summary: z
          .object({
            pce: text,
            severeLdl: text,
            lipidsMissing: text,
            lipidsMissingAll: text,
            lipidsStale: text,
            pceLdlMissing: text,
          })
          .strict(),
        detail: z
          .object({
            recommendation: text,
            pceLine: text,
            ldlLine: text,
            statinWithheldStaleLipids: text,
            statinWithheldMedsUnknown: text,
            ldlMissing: text,
            ldlCalculated: text,
            ldlNotCalculated: text,
            moreInApp: text,
            factorsTitle: text,
            checkTitle: text,
            lipidsMissingLine: text,
            lipidsStaleLine: text,
            lipidsWhy: text,
          })
          .strict(),
        suggestionDescription: text,
      })
      .strict(),
  })
  .strict();
export type CardiovascularCards = z.infer<typeof CardiovascularCardFile>;

/** The placeholders each template may use (what the service fills in). */
const TEMPLATE_VARS: Readonly<Record<string, readonly string[]>> = {
  'summary.pce': ['risk', 'band'],
  'summary.severeLdl': ['ldl', 'threshold'],
  'summary.lipidsMissing': ['missing', 'years'],
  'summary.lipidsMissingAll': ['years'],
  'summary.lipidsStale': ['date'],
  'summary.pceLdlMissing': ['risk', 'band'],
  'detail.recommendation': ['recommendation'],
  'detail.pceLine': ['risk', 'band'],
  'detail.ldlLine': ['ldl'],
  'detail.ldlCalculated': ['ldl', 'how'],
  'detail.ldlNotCalculated': ['why'],
  'detail.lipidsMissingLine': ['label', 'years'],
  'detail.lipidsStaleLine': ['label', 'value', 'date', 'days'],
  suggestionDescription: ['display', 'dosage', 'intensity', 'citation'],
};

export const CARDIOVASCULAR_FILE = 'cardiovascular.json';

/** Loads and checks `cards/cardiovascular.json` (or `file`); throws CardDataError naming file + field. */
export function loadCardiovascularCards(
  valueSets: ValueSetIndex,
  file: string = join(cardsDir(), CARDIOVASCULAR_FILE),
): CardiovascularCards {
  const data = loadCardFile(file, CardiovascularCardFile);
  const problems = [
    ...templateProblems(data),
    ...summaryLengthProblems(data),
    ...bandProblems(data),
    ...statinProblems(data, valueSets),
    ...inputProblems(data, valueSets),
  ];
  if (problems.length > 0) throw new CardDataError(problems.map((p) => `${file}: ${p}`).join('\n'));
  return data;
}

function templateProblems(data: CardiovascularCards): string[] {
  const t = data.text;
  const templates: Record<string, string> = {
    ...prefixed('summary', t.summary),
    ...prefixed('detail', t.detail),
    suggestionDescription: t.suggestionDescription,
  };
  data.statin.rules.forEach((rule, i) => {
    templates[`statin.rules[${String(i)}].summary`] = rule.summary;
  });
  return Object.entries(templates).flatMap(([field, template]) => {
    const allowed = allowedVars(data, field);
    return placeholders(template)
      .filter((p) => !allowed.includes(p))
      .map(
        (p) =>
          `${field.startsWith('statin.') ? '' : 'text.'}${field}: unknown placeholder {${p}} (allowed: ${allowed.map((a) => `{${a}}`).join(', ') || 'none'})`,
      );
  });
}

/** Every summary, filled with its longest plausible values, must fit CDS Hooks' 139 characters. */
function summaryLengthProblems(data: CardiovascularCards): string[] {
  if (templateProblems(data).length > 0) return []; // reported already; cannot fill
  const longestBand = data.pce.bands.map((b) => b.label).sort((a, b) => b.length - a.length)[0] ?? '';
  const worst = {
    risk: '100.0 %',
    band: longestBand,
    ldl: 9999,
    threshold: data.severeLdl.minMgDl,
    years: 99,
    date: '2026-12-31',
    missing: data.lipids.inputs.map((i) => data.lipids.names[i] ?? i).join(' or '),
  };
  const summaries: Record<string, string> = { ...prefixed('text.summary', data.text.summary) };
  data.statin.rules.forEach((rule, i) => {
    summaries[`statin.rules[${String(i)}].summary`] = rule.summary;
  });
  return Object.entries(summaries).flatMap(([field, template]) => {
    const length = render(template, worst).length; // as makeCard counts
    return length > SUMMARY_MAX
      ? [`${field}: up to ${String(length)} characters when filled (max ${String(SUMMARY_MAX)})`]
      : [];
  });
}

function allowedVars(data: CardiovascularCards, field: string): readonly string[] {
  const rule = /^statin\.rules\[(\d+)\]\.summary$/.exec(field);
  if (rule === null) return TEMPLATE_VARS[field] ?? [];
  const banded = data.statin.rules[Number(rule[1])]?.when.pceBands !== undefined;
  return banded ? ['ldl', 'risk', 'band'] : ['ldl'];
}

const prefixed = (prefix: string, o: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [`${prefix}.${k}`, v]));

function bandProblems(data: CardiovascularCards): string[] {
  const ids = data.pce.bands.map((b) => b.id);
  const policy = Object.keys(data.pce.bandPolicy);
  const problems = [
    ...ids.filter((id) => !policy.includes(id)).map((id) => `pce.bandPolicy: no policy for band "${id}"`),
    ...policy.filter((id) => !ids.includes(id)).map((id) => `pce.bandPolicy.${id}: not a band id`),
  ];
  // A band's indicator is that of a card without a draft: context under the one indicator policy.
  data.pce.bands.forEach((b, i) => {
    if (b.indicator !== indicatorFor('context'))
      problems.push(
        `pce.bands[${String(i)}].indicator: "${b.indicator}" disagrees with cards/indicator-policy.json (context → ${indicatorFor('context')})`,
      );
  });
  data.statin.rules.forEach((rule, i) => {
    for (const band of rule.when.pceBands ?? [])
      if (!ids.includes(band))
        problems.push(`statin.rules[${String(i)}].when.pceBands: unknown band "${band}"`);
  });
  return problems;
}

interface RxnormEntry {
  code: string;
  display: string;
}

/** The statin drafts must be real products: listed in the RxNorm map with that display, and statins. */
function statinProblems(data: CardiovascularCards, valueSets: ValueSetIndex): string[] {
  const map = JSON.parse(readFileSync(join(repoRoot(), 'models', 'rxnorm-ingredients.json'), 'utf8')) as {
    entries: RxnormEntry[];
  };
  const statins = getValueSet(valueSets, 'statin-medications');
  return (['moderate', 'high'] as const).flatMap((intensity) => {
    const c = data.statin.medications[intensity].coding;
    const field = `statin.medications.${intensity}.coding`;
    const entry = map.entries.find((e) => e.code === c.code);
    if (entry === undefined) return [`${field}: RxNorm ${c.code} is not in models/rxnorm-ingredients.json`];
    const out: string[] = [];
    if (entry.display !== c.display)
      out.push(`${field}.display: "${c.display}" ≠ RxNorm name "${entry.display}"`);
    if (!inValueSet(c, statins)) out.push(`${field}: RxNorm ${c.code} is not in the statin value set`);
    return out;
  });
}

function inputProblems(data: CardiovascularCards, valueSets: ValueSetIndex): string[] {
  const problems: string[] = [];
  data.supportingInputs.forEach((input, i) => {
    const b = input.fhir;
    const bound: [string, string][] =
      'valueSet' in b
        ? [['valueSet', b.valueSet]]
        : b.source === 'derived' && b.preferValueSet !== undefined
          ? [['preferValueSet', b.preferValueSet]]
          : [];
    for (const [field, id] of bound) {
      if (!valueSets.sets.has(id))
        problems.push(`supportingInputs[${String(i)}].fhir.${field}: unknown value set "${id}"`);
    }
  });
  for (const name of data.lipids.inputs)
    if (data.lipids.names[name] === undefined) problems.push(`lipids.names: no name for "${name}"`);
  const names = new Set(data.supportingInputs.map((s) => s.name));
  for (const name of ['age_years', 'ldl_cholesterol_mg_dl', 'on_statin', 'diabetes'])
    if (!names.has(name)) problems.push(`supportingInputs: "${name}" is required by the statin rules`);
  const ldl = data.supportingInputs.findIndex((s) => s.name === 'ldl_cholesterol_mg_dl');
  const lb = ldl >= 0 ? data.supportingInputs[ldl]?.fhir : undefined;
  if (
    lb !== undefined &&
    lb.source !== 'observation' &&
    !(lb.source === 'derived' && lb.derivation === 'ldl-sampson-nih')
  )
    problems.push(
      `supportingInputs[${String(ldl)}].fhir.source: LDL-C must be an "observation" binding or derived "ldl-sampson-nih"`,
    );
  return problems;
}
