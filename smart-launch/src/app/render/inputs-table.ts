/**
 * Every input with its value, unit, date and source resource, its flags (symbol + words, never colour
 * alone) and notes, and its contribution to the selected output — the text equivalent of the waterfall.
 */
import type { InputProvenance } from '../../../../src/features/types.js';
import { h } from '../dom.js';
import { changeUnit, dateText, flagText, signed, valueText } from '../format.js';
import { humanText, inputName, labelOf, outputLabel } from '../labels.js';
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
    p.note === undefined ? '' : h('p', { class: 'note' }, humanText(p.note)),
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

/** The text equivalent of the waterfall: each input, its value, its effect. Dates, sources and flags are in "Inputs on file", once. */
export function inputsTable(model: ModelCard, run: ModelRun, output: string | undefined): HTMLTableElement {
  const inputs = run.status === 'not-applicable' ? {} : run.inputs;
  const outSpec = model.outputs.find((o) => o.name === output);
  const outputDesc = outSpec === undefined ? undefined : outputLabel(model, outSpec);
  const head = ['Input', 'Value', 'Effect vs reference'];
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
        const effect = contributionCell(model, run, spec.name, output);
        return h(
          'tr',
          { 'data-input': spec.name, class: warn ? 'has-warning' : undefined },
          h('th', { scope: 'row', 'data-label': head[0] }, labelOf(model, spec.name)),
          h('td', { 'data-label': head[1] }, valueText(p, spec.name)),
          h('td', { 'data-label': head[2], 'data-empty': effect === '' }, effect),
        );
      }),
    ),
  );
}

/** One row per input across the listed models: value, date, source, flags and notes, and which models use it. */
export interface SharedInput {
  input: string;
  label: string;
  provenance: InputProvenance;
  models: string[];
}

export function sharedInputs(
  runs: readonly { model: ModelCard; run: Exclude<ModelRun, { status: 'not-applicable' }> }[],
): SharedInput[] {
  const out = new Map<string, SharedInput>();
  for (const { model, run } of runs) {
    // "AHA PREVENT", not "AHA PREVENT — 10-year risk of total CVD, …": the column lists several.
    const name = model.name.split(' — ')[0] ?? model.name;
    for (const spec of model.inputs) {
      const p = run.inputs[spec.name] ?? { value: null, flags: [] };
      // The same input read the same way is one row; read differently (another value set), its own row.
      const key = `${spec.name}|${String(p.value)}|${p.source ?? ''}`;
      const row = out.get(key);
      if (row === undefined)
        out.set(key, {
          input: spec.name,
          label: inputName(model, spec.name),
          provenance: p,
          models: [name],
        });
      else if (!row.models.includes(name)) row.models.push(name);
    }
  }
  return [...out.values()];
}

export function sharedInputsTable(rows: readonly SharedInput[]): HTMLTableElement {
  const head = ['Input', 'Value', 'Date', 'Source', 'Flags and notes', 'Used by'];
  return h(
    'table',
    { class: 'inputs-table shared-inputs' },
    h('caption', {}, 'Every input the models read, once'),
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
      rows.map((r) => {
        const p = r.provenance;
        const warn = p.flags.some((f) => flagText(f).warning);
        const flags = flagList(p);
        // A Patient-sourced input (age, sex) has no measurement date.
        const date = p.source?.startsWith('Patient/') === true ? '' : dateText(p.date);
        return h(
          'tr',
          { 'data-input': r.input, class: warn ? 'has-warning' : undefined },
          h('th', { scope: 'row', 'data-label': head[0] }, r.label),
          h('td', { 'data-label': head[1] }, valueText(p, r.input)),
          h('td', { 'data-label': head[2], class: 'date', 'data-empty': date === '' }, date),
          h(
            'td',
            { 'data-label': head[3], class: 'source', 'data-empty': p.source === undefined },
            p.source ?? '',
          ),
          h('td', { 'data-label': head[4], 'data-empty': flags === '' }, flags),
          h('td', { 'data-label': head[5], class: 'used-by' }, r.models.join(', ')),
        );
      }),
    ),
  );
}
