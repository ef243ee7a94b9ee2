/**
 * Every input with its value, unit, date and source resource, its flags (symbol + words, never colour
 * alone) and notes, and its contribution to the selected output — the text equivalent of the waterfall.
 */
import type { InputProvenance } from '../../../../src/features/types.js';
import { h } from '../dom.js';
import { changeUnit, dateText, flagText, signed, valueText } from '../format.js';
import { labelOf } from '../labels.js';
import type { ModelCard, ModelRun } from '../types.js';
import { amountFor } from '../waterfall.js';

function flagList(p: InputProvenance): HTMLElement | string {
  if (p.flags.length === 0 && p.note === undefined) return '';
  return h(
    'div',
    {},
    p.flags.length === 0
      ? ''
      : h(
          'ul',
          { class: 'flags' },
          p.flags.map((f) => {
            const t = flagText(f);
            return h(
              'li',
              { class: `flag${t.warning ? ' flag-warning' : ''}`, 'data-flag': f },
              h('span', { 'aria-hidden': 'true' }, `${t.symbol} `),
              t.words,
            );
          }),
        ),
    p.note === undefined ? '' : h('p', { class: 'note' }, p.note),
  );
}

function contributionCell(
  model: ModelCard,
  run: ModelRun,
  input: string,
  output: string | undefined,
): HTMLElement | string {
  if (run.status !== 'ok' || output === undefined) return '';
  const spec = model.outputs.find((o) => o.name === output);
  const c = run.explanation.contributions.find((x) => x.input === input);
  if (spec === undefined || c === undefined) return '';
  const u = changeUnit(spec);
  const amount = amountFor(run, input, output, u.scale);
  const exact = c.contribution[output];
  const scale = run.explanation.scales.find((s) => s.output === output);
  const isPoints = c.points?.[output] !== undefined;
  const main =
    amount === undefined
      ? '—'
      : Math.abs(amount) < 5e-4
        ? 'no effect'
        : isPoints
          ? `${signed(amount, 0)} ${Math.abs(amount) === 1 && u.unit === 'points' ? 'point' : u.unit}`
          : `≈ ${signed(amount)} ${u.unit}`;
  return h(
    'span',
    {},
    main,
    exact === undefined || isPoints || scale === undefined || Math.abs(exact) < 5e-4
      ? ''
      : h('span', { class: 'exact' }, ` (exact: ${signed(exact, 2)} ${scale.additiveScale})`),
  );
}

export function inputsTable(model: ModelCard, run: ModelRun, output: string | undefined): HTMLTableElement {
  const inputs = run.status === 'not-applicable' ? {} : run.inputs;
  const outputDesc = model.outputs.find((o) => o.name === output)?.description.replace(/\.$/, '');
  const head = ['Input', 'Value', 'Date', 'Source', 'Flags and notes', 'Effect vs reference'];
  return h(
    'table',
    { class: 'inputs-table' },
    h('caption', {}, `Inputs used${outputDesc === undefined ? '' : ` — effect on: ${outputDesc}`}`),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        head.map((t) => h('th', { scope: 'col' }, t)),
      ),
    ),
    h(
      'tbody',
      {},
      model.inputs.map((spec) => {
        const p = inputs[spec.name] ?? { value: null, flags: [] };
        const warn = p.flags.some((f) => flagText(f).warning);
        const flags = flagList(p);
        const effect = contributionCell(model, run, spec.name, output);
        return h(
          'tr',
          { 'data-input': spec.name, class: warn ? 'has-warning' : undefined },
          h('th', { scope: 'row', 'data-label': head[0] }, labelOf(model, spec.name)),
          h('td', { 'data-label': head[1] }, valueText(p)),
          h('td', { 'data-label': head[2], class: 'date' }, dateText(p.date) || '—'),
          h('td', { 'data-label': head[3], class: 'source' }, p.source ?? '—'),
          // Empty cells are marked so the stacked side-panel layout can drop their rows.
          h('td', { 'data-label': head[4], 'data-empty': flags === '' }, flags),
          h('td', { 'data-label': head[5], 'data-empty': effect === '' }, effect),
        );
      }),
    ),
  );
}
