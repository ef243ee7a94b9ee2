/**
 * What the app calls things: every internal id a person could otherwise see (UCUM unit, input flag,
 * value-set id, input name, points criterion, output, enum value, site setting) has its words in one
 * data file, labels.json; test/smart-launch/app/labels.test.ts fails on an id without a label.
 * Texts the feature extraction writes for people ("no active Condition in condition-diabetes") are
 * reworded here with the same labels.
 */
import type { Flag } from '../../../src/features/types.js';
import type { InputSpec } from '../../../src/models/manifest.js';
import LABELS_JSON from './labels.json' with { type: 'json' };
import type { ModelCard } from './types.js';

export interface FlagLabel {
  symbol: string;
  words: string;
  /** `derived` is information, not something to check. */
  warning: boolean;
}

/** A yes/no points criterion read off a number: met when the value is above `above`. */
export interface Criterion {
  label: string;
  above?: number;
  /** The value what-if uses when the criterion is ticked / unticked and the record's value does not already say so. */
  metValue?: number;
  unmetValue?: number;
}

export interface Labels {
  units: Record<string, string>;
  flags: Record<string, FlagLabel>;
  valueSets: Record<string, string>;
  inputs: Record<string, string>;
  criteria: Record<string, Record<string, Criterion>>;
  outputs: Record<string, string>;
  values: Record<string, Record<string, string>>;
  settings: Record<string, string>;
  /** A card's indicator in words: one entry per level of cards/indicator-policy.json. */
  indicators: Record<string, { symbol: string; words: string; means: string }>;
  /** Derivation id (a derived input binding's `derivation`) → how the value was obtained, in words. */
  derivations: Record<string, string>;
}

export const LABELS: Labels = LABELS_JSON;

/** "years" for UCUM `a`, "mmHg" for `mm[Hg]`; an unknown unit as written. */
export const unitLabel = (ucum: string | undefined): string =>
  ucum === undefined ? '' : (LABELS.units[ucum] ?? ucum);

export function flagLabel(flag: Flag): FlagLabel {
  return LABELS.flags[flag] ?? { symbol: '?', words: flag, warning: true };
}

export const valueSetLabel = (id: string): string => LABELS.valueSets[id] ?? id;

/** A short label from the input's description: its first clause ("Systolic blood pressure, mm Hg …" → "Systolic blood pressure"). */
export function descriptionLabel(spec: Pick<InputSpec, 'name' | 'description'>): string {
  const first = spec.description.split(/[,.:;(]| — /)[0]?.trim() ?? '';
  return first === '' ? spec.name.replace(/_/g, ' ') : first;
}

/** The points criterion an input stands for in this model (HAS-BLED "Age over 65"), if any. */
export const criterionOf = (model: Pick<ModelCard, 'id'>, input: string): Criterion | undefined =>
  LABELS.criteria[model.id]?.[input];

/** What an input is called on screen: the model's criterion, the shared input label, else the manifest's description. */
export function labelOf(model: ModelCard, input: string): string {
  const spec = model.inputs.find((i) => i.name === input);
  return (
    criterionOf(model, input)?.label ??
    LABELS.inputs[input] ??
    (spec === undefined ? input.replace(/_/g, ' ') : descriptionLabel(spec))
  );
}

/** The input's plain name, never a criterion ("Systolic blood pressure", not "Uncontrolled hypertension …"). */
export const inputName = (model: ModelCard, input: string): string =>
  LABELS.inputs[input] ?? labelOf(model, input);

export function outputLabel(
  model: Pick<ModelCard, 'id'>,
  output: { name: string; description: string },
): string {
  return LABELS.outputs[`${model.id}/${output.name}`] ?? output.description.replace(/\.$/, '');
}

/** An enum value in words ("north_america" → "North America"). */
export const enumLabel = (input: string, value: string): string => LABELS.values[input]?.[value] ?? value;

const ID_PATTERN = (() => {
  // Only hyphenated ids: an alias that is a plain word ("stroke", "amiodarone") reads as itself.
  const ids = Object.keys(LABELS.valueSets)
    .filter((id) => id.includes('-'))
    .sort((a, b) => b.length - a.length);
  const escaped = ids.map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`(?<![\\w-])(${escaped.join('|')})(?![\\w-])`, 'g');
})();

const idsToWords = (list: string): string =>
  list
    .split(/\s+or\s+/)
    .map((id) => valueSetLabel(id.trim()))
    .join(' or ');

/**
 * A note or reason from the feature extraction, with value-set ids and setting names in words:
 * "no active Condition in condition-diabetes" → "no active diagnosis of diabetes on file".
 */
export function humanText(text: string): string {
  return text
    .replace(
      /no active Condition in ([\w-]+)/g,
      (_, id: string) => `no active diagnosis of ${valueSetLabel(id)} on file`,
    )
    .replace(
      /no Condition in ([\w-]+)/g,
      (_, id: string) => `no diagnosis of ${valueSetLabel(id)} on file, past or present`,
    )
    .replace(
      /no active condition coded in ([\w-]+(?:\s+or\s+[\w-]+)*)/g,
      (_, ids: string) => `no active diagnosis of ${idsToWords(ids)} on file`,
    )
    .replace(
      /no active medication in ([\w-]+)/g,
      (_, id: string) => `no active order or statement for ${valueSetLabel(id)}`,
    )
    .replace(/site setting "([\w-]+)"/g, (_, id: string) => LABELS.settings[id] ?? `site setting ${id}`)
    .replace(ID_PATTERN, (id: string) => valueSetLabel(id));
}
