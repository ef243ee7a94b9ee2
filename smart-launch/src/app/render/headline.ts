/** The number(s) and band at the top of a model's section, and the one-line summary of a run. */
import type { OutputSpec } from '../../../../src/models/manifest.js';
import { bandLevel, bandOf } from '../card-data.js';
import { CARD_DATA } from '../card-data-files.js';
import { h } from '../dom.js';
import { codeLabel, formatOutput } from '../format.js';
import { humanText, labelOf, outputLabel } from '../labels.js';
import type { ModelCard, ModelRun, OkRun } from '../types.js';

export const shownOutputs = (model: ModelCard): OutputSpec[] =>
  model.outputs.filter((o) => o.unit !== 'code');

/**
 * The band ("high risk") with a meter of where it sits among the model's bands (■■■■ = the highest),
 * so the badge says the band itself — never the card's indicator, which follows the action the card
 * offers (a high PCE band without a statin draft is an `info` card, and is still "high").
 */
export function bandBadge(model: ModelCard, output: string, value: number): HTMLElement | undefined {
  const level = bandLevel(CARD_DATA, model.id, output, value);
  if (level === undefined) return undefined;
  const { band, index, count } = level;
  const meter = '■'.repeat(index + 1) + '□'.repeat(count - index - 1);
  const tier = index === count - 1 ? 'top' : index === 0 ? 'bottom' : 'middle';
  return h(
    'span',
    {
      class: `band band-${tier}`,
      'data-band': band.id,
      'data-level': `${String(index + 1)}/${String(count)}`,
    },
    h('span', { class: 'band-meter', 'aria-hidden': 'true' }, `${meter} `),
    `${band.label} risk`,
    h('span', { class: 'visually-hidden' }, ` (band ${String(index + 1)} of ${String(count)})`),
  );
}

/** The model's results: every non-code output with its description, then categorical outputs in words. */
export function headline(model: ModelCard, run: OkRun, hypothetical = false): HTMLElement {
  const outputs = shownOutputs(model);
  const list = h('dl', { class: `outputs${hypothetical ? ' hypothetical' : ''}` });
  outputs.forEach((o, i) => {
    const value = run.outputs[o.name];
    if (value === undefined) return;
    list.append(
      h('dt', {}, outputLabel(model, o)),
      h(
        'dd',
        { class: i === 0 ? 'primary' : undefined, 'data-output': o.name, 'data-value': value },
        h('span', { class: 'number' }, formatOutput(o, value)),
        bandBadge(model, o.name, value) ?? '',
      ),
    );
  });
  for (const o of model.outputs.filter((x) => x.unit === 'code')) {
    const value = run.outputs[o.name];
    if (value === undefined) continue;
    list.append(
      h('dt', { class: 'code-output' }, outputLabel(model, o)),
      h('dd', { class: 'code-output' }, codeLabel(o, value)),
    );
  }
  return list;
}

/** One line for the overview: "14.2 % — intermediate". */
export function summaryText(model: ModelCard, run: OkRun): string {
  const first = shownOutputs(model)[0];
  const value = first === undefined ? undefined : run.outputs[first.name];
  if (first === undefined || value === undefined) return 'no result';
  const band = bandOf(CARD_DATA, model.id, first.name, value);
  return `${formatOutput(first, value)}${band === undefined ? '' : ` — ${band.label}`}`;
}

/** Why there is no number, inputs named as the clinician knows them ("eGFR, BMI", not field names). */
export function noEstimateText(
  model: ModelCard,
  run: Extract<ModelRun, { status: 'insufficient-data' }>,
): string {
  if (run.missing.length === 0) return humanText(run.reason).replace(/\.$/, '');
  const names = run.missing.map((n) => labelOf(model, n)).join(', ');
  return `required ${run.missing.length === 1 ? 'input' : 'inputs'} missing from the record — ${names}`;
}
