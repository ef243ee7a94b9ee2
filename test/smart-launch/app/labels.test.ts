/**
 * Every internal id the side app could show has a human label in smart-launch/src/app/labels.json:
 * the ids are enumerated from the manifests (units, inputs, outputs, enum values, settings, value-set
 * references, population conditions), models/valuesets.json (every id and alias — a service can only
 * name a value set that is there: getValueSet throws otherwise), the services' own value-set names,
 * and src/features FLAGS. A new one without a label fails here.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  dateText,
  dateTimeText,
  flagText,
  setLocale,
  valueText,
} from '../../../smart-launch/src/app/format.js';
import { humanText, LABELS, labelOf, outputLabel, unitLabel } from '../../../smart-launch/src/app/labels.js';
import type { ModelCard } from '../../../smart-launch/src/app/types.js';
import { FLAGS } from '../../../src/features/types.js';
import { builtInModels } from '../../support/services.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const VALUE_SETS = JSON.parse(readFileSync(join(ROOT, 'models', 'valuesets.json'), 'utf8')) as {
  valueSets: { id: string; aliases?: string[] }[];
};

let models: ModelCard[];
beforeAll(async () => {
  models = (await builtInModels()).list().map((m) => m.manifest);
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Value-set ids named by the models' input bindings and population checks. */
function manifestValueSets(m: ModelCard): string[] {
  const fromInputs = m.inputs.flatMap((i) => {
    const b = i.fhir as unknown as Record<string, unknown>;
    return ['valueSet', 'componentValueSet', 'preferValueSet'].flatMap((k) =>
      typeof b[k] === 'string' ? [b[k]] : [],
    );
  });
  return [
    ...fromInputs,
    ...(m.population.requiresAnyCondition ?? []),
    ...(m.population.excludesConditions ?? []),
  ];
}

describe('labels.json covers every id the app can show', () => {
  it('every value set and alias in models/valuesets.json', () => {
    const ids = VALUE_SETS.valueSets.flatMap((v) => [v.id, ...(v.aliases ?? [])]);
    expect(ids.length).toBeGreaterThan(40);
    expect(ids.filter((id) => LABELS.valueSets[id] === undefined)).toEqual([]);
  });

  it('every value set a manifest or a service names', () => {
    const fromModels = models.flatMap(manifestValueSets);
    const fromServices = filesUnder(join(ROOT, 'src', 'services')).flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/getValueSet\([^,]+,\s*'([\w-]+)'\)/g)].map((m) => m[1] ?? ''),
    );
    expect(fromServices.length).toBeGreaterThan(0);
    const missing = [...new Set([...fromModels, ...fromServices])].filter(
      (id) => LABELS.valueSets[id] === undefined,
    );
    expect(missing).toEqual([]);
  });

  it('every flag, with a symbol and words', () => {
    for (const f of FLAGS) {
      expect(LABELS.flags[f], f).toBeDefined();
      expect(flagText(f).words).not.toBe(f === 'missing' ? '' : f);
    }
  });

  it('every input, output, unit, enum value and setting of every model', () => {
    const problems: string[] = [];
    for (const m of models) {
      for (const i of m.inputs) {
        if (LABELS.inputs[i.name] === undefined) problems.push(`input ${m.id}/${i.name}`);
        if (i.unit !== undefined && LABELS.units[i.unit] === undefined) problems.push(`unit ${i.unit}`);
        for (const v of i.values ?? [])
          if (LABELS.values[i.name]?.[v] === undefined) problems.push(`value ${i.name}=${v}`);
        const b = i.fhir as unknown as Record<string, unknown>;
        if (typeof b['setting'] === 'string' && LABELS.settings[b['setting']] === undefined)
          problems.push(`setting ${b['setting']}`);
      }
      for (const o of m.outputs) {
        if (LABELS.outputs[`${m.id}/${o.name}`] === undefined) problems.push(`output ${m.id}/${o.name}`);
        if (LABELS.units[o.unit] === undefined) problems.push(`unit ${o.unit}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('criteria labels are for inputs the model has', () => {
    for (const [model, criteria] of Object.entries(LABELS.criteria)) {
      const m = models.find((x) => x.id === model);
      expect(m, model).toBeDefined();
      for (const input of Object.keys(criteria))
        expect(
          m?.inputs.some((i) => i.name === input),
          `${model}/${input}`,
        ).toBe(true);
    }
  });
});

describe('the words people read', () => {
  it('no internal ids: value sets in notes and reasons are reworded', () => {
    expect(humanText('no active Condition in condition-diabetes')).toBe(
      'no active diagnosis of diabetes on file',
    );
    expect(humanText('no active medication in antihypertensive-medications')).toBe(
      'no active order or statement for blood-pressure medication',
    );
    expect(humanText('no active condition coded in chronic-kidney-disease')).toBe(
      'no active diagnosis of chronic kidney disease on file',
    );
    expect(humanText('no Condition in labile-inr')).toBe(
      'no diagnosis of labile INR on file, past or present',
    );
    expect(humanText('site setting "kfre-region" is not set')).toBe(
      'the site’s KFRE calibration region is not set',
    );
    for (const v of VALUE_SETS.valueSets)
      for (const id of [v.id, ...(v.aliases ?? [])].filter((x) => x.includes('-')))
        for (const t of [
          `no active Condition in ${id}`,
          `no active medication in ${id}`,
          `X on record (${id})`,
        ])
          expect(humanText(t)).not.toMatch(new RegExp(`(?<![\\w-])${id}(?![\\w-])`));
  });

  it('units: years, not UCUM a; labels from the map, not field names', () => {
    expect(unitLabel('a')).toBe('years');
    expect(valueText({ value: 67, unit: 'a' })).toBe('67 years');
    expect(valueText({ value: 'north_america' }, 'region')).toBe('North America');
    const hasBled = models.find((m) => m.id === 'has-bled');
    if (hasBled === undefined) throw new Error('has-bled missing');
    expect(labelOf(hasBled, 'labile_inr')).toBe('Labile INR');
  });

  it('CHA₂DS₂-VASc’s stroke-rate label does not say "as a fraction per year"', () => {
    const m = models.find((x) => x.id === 'cha2ds2-vasc');
    const o = m?.outputs.find((x) => x.name === 'annual_stroke_rate_band');
    if (m === undefined || o === undefined) throw new Error('cha2ds2-vasc output missing');
    expect(outputLabel(m, o)).not.toMatch(/fraction/);
  });
});

describe('one date format: the user’s locale, date only unless the time matters', () => {
  it('formats dates and dateTimes as the locale does, without shifting a calendar day', () => {
    setLocale('en-GB');
    expect(dateText('2026-06-01')).toBe('1 Jun 2026');
    expect(dateText('2024-02')).toBe('Feb 2024');
    expect(dateTimeText(new Date(Date.UTC(2026, 11, 5, 9, 30)))).toMatch(/^5 Dec 2026, \d\d:\d\d$/);
    setLocale('en-US');
    expect(dateText('2026-06-01')).toBe('Jun 1, 2026');
    expect(dateText('2026-06-01T23:30:00Z')).toMatch(/^Jun [12], 2026$/);
    setLocale(undefined);
  });
});
