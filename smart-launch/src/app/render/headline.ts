/** The number(s) and band at the top of a model's section, and the one-line summary of a run. */
import type { OutputSpec } from '../../../../src/models/manifest.js';
import { bandOf } from '../card-data.js';
import { CARD_DATA } from '../card-data-files.js';
import { h } from '../dom.js';
import { codeLabel, formatOutput } from '../format.js';
import { labelOf } from '../labels.js';
import type { ModelCard, ModelRun, OkRun } from '../types.js';

const BAND_SYMBOL = { info: 'ℹ', warning: '▲', critical: '‼' } as const;

export const shownOutputs = (model: ModelCard): OutputSpec[] =>
  model.outputs.filter((o) => o.unit !== 'code');

/** "Intermediate risk" etc. from the card data, with a symbol so it never depends on colour. */
export function bandBadge(model: ModelCard, output: string, value: number): HTMLElement | undefined {
  const band = bandOf(CARD_DATA, model.id, output, value);
  if (band === undefined) return undefined;
  return h(
    'span',
    { class: `band band-${band.indicator}`, 'data-band': band.id },
    h('span', { 'aria-hidden': 'true' }, `${BAND_SYMBOL[band.indicator]} `),
    band.label,
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
      h('dt', {}, o.description.replace(/\.$/, '')),
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
      h('dt', {}, o.description.split(':')[0] ?? o.name),
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
  if (run.missing.length === 0) return run.reason.replace(/\.$/, '');
  const names = run.missing.map((n) => labelOf(model, n)).join(', ');
  return `required ${run.missing.length === 1 ? 'input' : 'inputs'} missing from the record — ${names}`;
}
