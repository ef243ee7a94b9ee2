/**
 * What-if: change inputs — or fill one the record lacks (height, weight for a warfarin dose) — and
 * see the new estimate and contributions at once, clearly marked as hypothetical. Yes/no criteria are
 * checkboxes (a points criterion read off a number, like HAS-BLED's "SBP > 160", too). With one input
 * changed, the what-if's change and the waterfall's figure for that input are shown side by side,
 * with one sentence on why they differ. The result region is a polite live region; values outside a
 * model's contract come back as the API's own refusal, in words.
 */
import type { InputValue } from '../../../../src/features/types.js';
import type { InputSpec } from '../../../../src/models/manifest.js';
import { disposeCharts } from '../charts.js';
import { ApiError, type AugurApi } from '../augur-api.js';
import { h, replaceChildren, uid, type Child } from '../dom.js';
import { changeUnit, displayUnit, formatNumber, formatOutput, signed, valueText } from '../format.js';
import { criterionOf, enumLabel, inputName, labelOf, outputLabel, type Criterion } from '../labels.js';
import type { ModelCard, ModelRun, OkRun } from '../types.js';
import { amountFor, amountKind, referenceWords } from '../waterfall.js';
import { shownOutputs, headline } from './headline.js';
import { waterfallFigure } from './waterfall-chart.js';

const DEBOUNCE_MS = 250;

/** A run what-if can start from: a result, or "no estimate" with the inputs that were found. */
export type WhatIfRun = OkRun | Extract<ModelRun, { status: 'insufficient-data' }>;

/** The line that marks a what-if result as hypothetical, whatever it holds. */
const hypotheticalBanner = (lead: string, rest: Child): HTMLParagraphElement =>
  h('p', { class: 'hypothetical-banner' }, h('strong', {}, lead), rest);

type Control = HTMLInputElement | HTMLSelectElement;

/** A yes/no control stands for a boolean, or for a points criterion read off a number. */
const isCheck = (spec: InputSpec, criterion: Criterion | undefined): boolean =>
  spec.type === 'boolean' || (spec.type === 'number' && criterion?.above !== undefined);

function control(
  spec: InputSpec,
  criterion: Criterion | undefined,
  current: InputValue | null,
  id: string,
): Control {
  if (isCheck(spec, criterion)) {
    const met =
      spec.type === 'boolean'
        ? current === true
        : typeof current === 'number' && current > (criterion?.above ?? Infinity);
    return h('input', { id, name: spec.name, type: 'checkbox', checked: met });
  }
  if (spec.type === 'number') {
    return h('input', {
      id,
      name: spec.name,
      type: 'number',
      inputmode: 'decimal',
      step: 'any',
      value: typeof current === 'number' ? formatNumber(current) : '',
      min: spec.range?.outside === 'refuse' ? spec.range.min : undefined,
      max: spec.range?.outside === 'refuse' ? spec.range.max : undefined,
    });
  }
  return h(
    'select',
    { id, name: spec.name },
    current === null ? h('option', { value: '', selected: true }, 'not recorded') : '',
    (spec.values ?? []).map((o) =>
      h('option', { value: o, selected: String(current) === o }, enumLabel(spec.name, o)),
    ),
  );
}

/** The state of a control, to tell a touched control from an untouched one. */
const stateOf = (el: Control): string =>
  el instanceof HTMLInputElement && el.type === 'checkbox' ? String(el.checked) : el.value;

function readValue(
  spec: InputSpec,
  criterion: Criterion | undefined,
  el: Control,
  actual: InputValue | null,
): InputValue | null {
  if (el instanceof HTMLInputElement && el.type === 'checkbox') {
    if (spec.type === 'boolean') return el.checked;
    // A criterion on a number: keep the recorded value when it already says the same; otherwise a
    // value on the right side of the threshold (labels.json: metValue / unmetValue).
    const above = criterion?.above ?? 0;
    const num = typeof actual === 'number' ? actual : undefined;
    if (el.checked) return num !== undefined && num > above ? num : (criterion?.metValue ?? above + 1);
    return num !== undefined && num <= above ? num : (criterion?.unmetValue ?? above);
  }
  const raw = el.value.trim();
  if (raw === '') return null;
  if (spec.type === 'number') return Number(raw);
  return raw;
}

const shown = (spec: InputSpec, v: InputValue | null, unit: string | undefined): string =>
  valueText({ value: v, ...(unit === undefined ? {} : { unit }) }, spec.name);

/**
 * The what-if change of one input beside the waterfall's figure for it, and why they differ: the
 * waterfall averages that input's effect over every order of moving the inputs from the reference
 * (or, without exact values, shares the log-scale change in proportion), while the what-if changes
 * it alone, to the value entered, with everything else as recorded.
 */
export function comparison(
  model: ModelCard,
  run: OkRun,
  input: string,
  output: string,
  after: number,
  newValue: InputValue | null,
): HTMLElement | '' {
  const spec = model.outputs.find((o) => o.name === output);
  const inSpec = model.inputs.find((i) => i.name === input);
  const before = run.outputs[output];
  if (spec === undefined || inSpec === undefined || before === undefined) return '';
  const u = changeUnit(spec);
  const credited = amountFor(run, input, output, u.scale);
  if (credited === undefined) return '';
  const kind = amountKind(run, output);
  const ref = referenceWords(run);
  const name = inputName(model, input);
  const p = run.inputs[input];
  const refValue = run.explanation.reference.values[input] ?? null;
  const unit = p?.unit ?? inSpec.unit;
  const from = shown(inSpec, p?.value ?? null, unit);
  const to = shown(inSpec, newValue, unit);
  const refText = shown(inSpec, refValue, unit);
  const delta = (after - before) * u.scale;
  const compared = ref.label === undefined ? 'the reference profile' : ref.label;
  const why =
    kind === 'points'
      ? `The waterfall counts the points ${name} adds compared with ${compared} (${refText}); this what-if scores ${to} instead, with every other criterion as recorded.`
      : kind === 'exact-shapley'
        ? `The waterfall’s figure is ${name}’s average effect on the risk over every order of moving the inputs from ${compared} (${refText}) to this patient, while this what-if changes ${name} alone, from ${from} to ${to}, with every other input at this patient’s values — and one change moves a risk further when the other inputs already raise it.`
        : `The waterfall’s figure is ${name}’s share of the change on the model’s ${run.explanation.scales.find((s) => s.output === output)?.additiveScale ?? 'additive'} scale, rescaled so the bars add up to the total, while this what-if changes ${name} alone, from ${from} to ${to}, with every other input at this patient’s values — and one change moves a risk further when the other inputs already raise it.`;
  const unitWord = u.unit === 'points' && Math.abs(delta) === 1 ? 'point' : u.unit;
  const digits = kind === 'points' ? 0 : 1;
  return h(
    'div',
    { class: 'whatif-vs-waterfall', 'data-input': input },
    h(
      'dl',
      {},
      h('dt', {}, `This what-if (${name} ${from} → ${to})`),
      h('dd', { 'data-what': 'what-if' }, `${signed(delta, digits)} ${unitWord}`),
      h('dt', {}, `The waterfall’s figure for ${name} (vs ${compared})`),
      h('dd', { 'data-what': 'waterfall' }, `${signed(credited, digits)} ${u.unit}`),
    ),
    h('p', { class: 'why' }, why),
  );
}

export function whatIf(api: AugurApi, model: ModelCard, run: WhatIfRun): HTMLElement {
  const actual: Record<string, InputValue | null> = {};
  for (const spec of model.inputs) actual[spec.name] = run.inputs[spec.name]?.value ?? null;
  const controls = new Map<string, Control>();
  // The inputs the model cannot do without (an optional one, like PREVENT's UACR, only changes the variant).
  const required = new Set(run.status === 'ok' ? [] : run.missing);
  const missing = model.inputs.filter((s) => required.has(s.name));
  const fields = model.inputs.map((spec) => {
    const id = uid(`whatif-${model.id}-${spec.name}`);
    const criterion = criterionOf(model, spec.name);
    const el = control(spec, criterion, actual[spec.name] ?? null, id);
    controls.set(spec.name, el);
    const check = isCheck(spec, criterion);
    const unit = spec.type === 'number' && !check ? displayUnit(spec.unit) : '';
    const isMissing = required.has(spec.name);
    const notRecorded = actual[spec.name] === null && spec.type !== 'boolean';
    const label = h(
      'label',
      { for: id },
      check ? labelOf(model, spec.name) : inputName(model, spec.name),
      unit === '' ? '' : h('span', { class: 'unit' }, ` (${unit})`),
    );
    const note = isMissing
      ? h('span', { class: 'actual missing' }, 'not in the record — enter a value to estimate')
      : notRecorded
        ? h('span', { class: 'actual' }, 'not in the record (optional)')
        : h(
            'span',
            { class: 'actual' },
            `recorded: ${valueText(run.inputs[spec.name] ?? { value: null }, spec.name)}`,
          );
    return h(
      'div',
      {
        class: `field${check ? ' field-check' : ''}${isMissing ? ' field-missing' : ''}`,
        'data-input': spec.name,
      },
      check ? [el, label] : [label, el],
      note,
    );
  });
  const initial = new Map([...controls].map(([name, el]) => [name, stateOf(el)]));
  const result = h('div', { class: 'whatif-result', 'aria-live': 'polite', 'data-state': 'idle' });
  const reset = h('button', { type: 'reset' }, 'Reset to recorded values');
  const form = h(
    'form',
    { class: 'whatif-form', 'data-model': model.id },
    missing.length === 0 || run.status === 'ok'
      ? ''
      : h(
          'p',
          { class: 'whatif-missing' },
          `No estimate from the record: ${missing.map((s) => inputName(model, s.name)).join(', ')} ${missing.length === 1 ? 'is' : 'are'} not recorded. Enter ${missing.length === 1 ? 'a value' : 'values'} below for a hypothetical estimate.`,
        ),
    h('fieldset', {}, h('legend', {}, 'Change inputs (hypothetical)'), h('div', { class: 'fields' }, fields)),
    h('div', { class: 'whatif-actions' }, reset),
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  let seq = 0;

  const evaluateNow = async (): Promise<void> => {
    const inputs: Record<string, InputValue | null> = {};
    const changed: string[] = [];
    for (const spec of model.inputs) {
      const el = controls.get(spec.name);
      // An untouched control keeps the exact recorded value (the field shows it rounded).
      const v =
        el === undefined || stateOf(el) === initial.get(spec.name)
          ? (actual[spec.name] ?? null)
          : readValue(spec, criterionOf(model, spec.name), el, actual[spec.name] ?? null);
      inputs[spec.name] = v;
      if (v !== (actual[spec.name] ?? null)) changed.push(spec.name);
    }
    const mine = ++seq;
    disposeCharts(result);
    if (changed.length === 0) {
      result.dataset['state'] = 'idle';
      replaceChildren(result);
      return;
    }
    result.dataset['state'] = 'loading';
    const filled = changed.filter((n) => actual[n] === null);
    const filledText =
      filled.length === 0
        ? ''
        : h(
            'p',
            { class: 'filled-in' },
            h('strong', {}, 'Filled in, not in the record: '),
            filled
              .map((n) => {
                const spec = model.inputs.find((i) => i.name === n);
                return `${inputName(model, n)} ${spec === undefined ? String(inputs[n]) : shown(spec, inputs[n] ?? null, spec.unit)}`;
              })
              .join(', '),
            '.',
          );
    try {
      const answer = await api.evaluate(model.id, inputs);
      if (mine !== seq) return;
      if (answer.explanation === undefined) throw new Error('no explanation');
      const hypo: OkRun = {
        status: 'ok',
        model: run.model,
        warnings: answer.warnings,
        inputs: Object.fromEntries(
          model.inputs.map((s) => [
            s.name,
            {
              ...(run.inputs[s.name] ?? { flags: [] }),
              // A filled-in value has no record behind it: its unit is the model's.
              ...(run.inputs[s.name]?.unit === undefined && s.unit !== undefined ? { unit: s.unit } : {}),
              value: inputs[s.name] ?? null,
            },
          ]),
        ),
        outputs: answer.outputs,
        explanation: answer.explanation,
      };
      const first = shownOutputs(model)[0];
      const after = first === undefined ? undefined : answer.outputs[first.name];
      const before = first === undefined || run.status !== 'ok' ? undefined : run.outputs[first.name];
      const change = first === undefined ? undefined : changeUnit(first);
      const delta =
        first === undefined || change === undefined || after === undefined
          ? ''
          : before === undefined
            ? `${outputLabel(model, first)}: ${formatOutput(first, after)} — an estimate from values not in the record.`
            : `${formatOutput(first, after)} instead of ${formatOutput(first, before)} (${signed((after - before) * change.scale)} ${change.unit})`;
      const only = changed.length === 1 ? changed[0] : undefined;
      result.dataset['state'] = 'ok';
      result.dataset['filled'] = String(filled.length > 0);
      replaceChildren(
        result,
        hypotheticalBanner('Hypothetical — not this patient’s record. ', delta),
        filledText,
        h('p', {}, `Changed: ${changed.map((n) => inputName(model, n)).join(', ')}.`),
        run.status === 'ok' && only !== undefined && first !== undefined && after !== undefined
          ? comparison(model, run, only, first.name, after, inputs[only] ?? null)
          : '',
        headline(model, hypo, true),
        first === undefined ? '' : waterfallFigure(model, hypo, first.name, true),
      );
    } catch (err) {
      if (mine !== seq) return;
      result.dataset['state'] = 'refused';
      replaceChildren(
        result,
        hypotheticalBanner(
          'Hypothetical: no estimate. ',
          err instanceof ApiError
            ? err.message.replace(/(?:inputs\.)?\b([a-z][a-z0-9]*(?:_[a-z0-9]+)+)\b/g, (m, n: string) =>
                model.inputs.some((i) => i.name === n) ? inputName(model, n) : m,
              )
            : 'Augur could not evaluate these values.',
        ),
        filledText,
      );
    }
  };
  const schedule = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => void evaluateNow(), DEBOUNCE_MS);
  };
  form.addEventListener('input', schedule);
  form.addEventListener('change', schedule);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void evaluateNow();
  });
  form.addEventListener('reset', () => {
    setTimeout(() => void evaluateNow(), 0);
  });
  return h('section', { class: 'whatif', 'aria-label': `What-if for ${model.name}` }, form, result);
}
