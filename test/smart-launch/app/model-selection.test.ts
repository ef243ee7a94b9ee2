/**
 * The rule for which models the side app lists (smart-launch/src/app/model-selection.ts), on the real
 * model manifests, the real value sets and the real card files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { getValueSet } from '../../../src/features/valuesets.js';
import { readCardData } from '../../../smart-launch/src/app/card-data.js';
import {
  CARD_MODELS,
  selectModels,
  WARFARIN_MODEL,
  WARFARIN_VALUE_SET,
  warfarinUse,
} from '../../../smart-launch/src/app/model-selection.js';
import type { ModelCard } from '../../../smart-launch/src/app/types.js';
import { aMedicationRequest, aMedicationStatement } from '../../support/fhir-builders.js';
import { builtInModels } from '../../support/services.js';
import { VALUE_SETS } from '../../features/helpers.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const WARFARIN = getValueSet(VALUE_SETS, WARFARIN_VALUE_SET);
let models: ModelCard[];
beforeAll(async () => {
  models = (await builtInModels()).list().map((m) => m.manifest);
});
const ids = (list: readonly ModelCard[]): string[] => list.map((m) => m.id);

describe('warfarinUse: a draft or active MedicationRequest for warfarin, by RxNorm code', () => {
  it('finds an active order by ingredient and a draft order by clinical drug (SCD → ingredient)', () => {
    expect(warfarinUse([aMedicationRequest({ id: 'w', rxnorm: '11289' })], WARFARIN)).toEqual({
      status: 'active',
      source: 'MedicationRequest/w',
    });
    expect(
      warfarinUse([aMedicationRequest({ id: 'd', rxnorm: '855288', status: 'draft' })], WARFARIN),
    ).toEqual({ status: 'draft', source: 'MedicationRequest/d' });
  });

  it('reads a contained Medication', () => {
    const order = aMedicationRequest({ id: 'c', rxnorm: '855302', contained: true });
    expect(warfarinUse([order], WARFARIN)?.source).toBe('MedicationRequest/c');
  });

  it('ignores stopped/completed orders, statements, other drugs and a name without a code', () => {
    expect(
      warfarinUse(
        [
          aMedicationRequest({ rxnorm: '11289', status: 'stopped' }),
          aMedicationRequest({ rxnorm: '11289', status: 'completed' }),
          aMedicationStatement({ rxnorm: '11289' }),
          aMedicationRequest({ rxnorm: '29046', display: 'lisinopril' }),
          aMedicationRequest({ text: 'warfarin 5 mg tablet' }),
        ],
        WARFARIN,
      ),
    ).toBeUndefined();
  });
});

describe('selectModels', () => {
  it('lists the card models in a fixed order, never a learned model, IWPC only with warfarin', () => {
    const without = selectModels(models, { warfarin: undefined });
    expect(ids(without.listed)).toEqual([...CARD_MODELS]);
    const iwpc = without.omitted.find((o) => o.model.id === WARFARIN_MODEL);
    expect(iwpc).toMatchObject({ mention: true });
    expect(iwpc?.reason).toMatch(/warfarin is active or ordered/);
    const learned = models.filter((m) => m.kind === 'learned');
    expect(learned.length).toBeGreaterThan(0);
    for (const m of learned)
      expect(without.omitted.find((o) => o.model.id === m.id)).toMatchObject({ mention: false });

    const withWarfarin = selectModels(models, { warfarin: { status: 'draft', source: undefined } });
    expect(ids(withWarfarin.listed)).toEqual([...CARD_MODELS, WARFARIN_MODEL]);
    expect(withWarfarin.listed.some((m) => m.kind === 'learned')).toBe(false);
  });

  it('puts the launching card’s models first, and lists them even without a warfarin order on file', () => {
    const s = selectModels(models, { cardModelIds: ['iwpc-warfarin', 'has-bled'], warfarin: undefined });
    expect(ids(s.listed).slice(0, 2)).toEqual(['iwpc-warfarin', 'has-bled']);
    expect(ids(s.listed)).toHaveLength(CARD_MODELS.length + 1);
    expect(s.omitted.some((o) => o.model.id === WARFARIN_MODEL)).toBe(false);
  });

  it('a card naming a learned model does not make it listed', () => {
    const learned = models.find((m) => m.kind === 'learned');
    if (learned === undefined) throw new Error('no learned model to test with');
    const s = selectModels(models, { cardModelIds: [learned.id], warfarin: undefined });
    expect(ids(s.listed)).not.toContain(learned.id);
  });

  it('a model no card service uses is not listed', () => {
    const base = models.find((m) => m.id === 'ascvd-pce-10y');
    if (base === undefined) throw new Error('no PCE manifest');
    const extra: ModelCard = { ...base, id: 'site-extra-model' };
    const s = selectModels([...models, extra], { warfarin: undefined });
    expect(ids(s.listed)).not.toContain('site-extra-model');
    expect(s.omitted.find((o) => o.model.id === 'site-extra-model')).toMatchObject({ mention: false });
  });
});

describe('CARD_MODELS matches what the card services use', () => {
  it('every model a card file names is listed, and each listed model is a shipped non-learned model', () => {
    const files = Object.fromEntries(
      readdirSync(join(ROOT, 'cards'))
        .filter((f) => f.endsWith('.json'))
        .map((f) => [f, JSON.parse(readFileSync(join(ROOT, 'cards', f), 'utf8')) as unknown]),
    );
    const named = readCardData(files).models;
    expect(named.size).toBeGreaterThanOrEqual(5);
    for (const id of named) expect(CARD_MODELS).toContain(id);
    for (const id of CARD_MODELS) expect(models.find((m) => m.id === id)?.kind).not.toBe('learned');
    expect(CARD_MODELS.filter((id) => !named.has(id))).toEqual(['kfre-4v']);
  });

  it('the one model no card file names (KFRE) is the one the kidney service runs', () => {
    const kidney = readdirSync(join(ROOT, 'src', 'services', 'kidney'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(join(ROOT, 'src', 'services', 'kidney', f), 'utf8'))
      .join('\n');
    expect(kidney).toMatch(/['"]kfre-4v['"]/);
  });
});
