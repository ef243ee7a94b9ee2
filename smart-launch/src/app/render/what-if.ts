/**
 * What-if: change inputs and see the new estimate and contributions at once, clearly marked as
 * hypothetical. Each control is labelled with the input and its unit; the result region is a polite
 * live region. Values outside a model's contract come back as the API's own refusal, in words.
 */
import type { InputValue } from '../../../../src/features/types.js';
import type { InputSpec } from '../../../../src/models/manifest.js';
import { disposeCharts } from '../charts.js';
import { ApiError, type AugurApi } from '../augur-api.js';
import { h, replaceChildren, uid, type Child } from '../dom.js';
import { changeUnit, displayUnit, formatNumber, formatOutput, signed, valueText } from '../format.js';
import { labelOf } from '../labels.js';
import type { ModelCard, OkRun } from '../types.js';
import { shownOutputs, headline } from './headline.js';
import { waterfallFigure } from './waterfall-chart.js';

const DEBOUNCE_MS = 250;

/** The line that marks a what-if result as hypothetical, whatever it holds. */
const hypotheticalBanner = (lead: string, rest: Child): HTMLParagraphElement =>
  h('p', { class: 'hypothetical-banner' }, h('strong', {}, lead), rest);

function control(
  spec: InputSpec,
  current: InputValue | null,
  id: string,
): HTMLInputElement | HTMLSelectElement {
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
  const options = spec.type === 'boolean' ? ['true', 'false'] : (spec.values ?? []);
  const words = (o: string): string => (o === 'true' ? 'yes' : o === 'false' ? 'no' : o);
  return h(
    'select',
    { id, name: spec.name },
    current === null ? h('option', { value: '', selected: true }, 'not recorded') : '',
    options.map((o) => h('option', { value: o, selected: String(current) === o }, words(o))),
  );
}

function readValue(spec: InputSpec, el: HTMLInputElement | HTMLSelectElement): InputValue | null {
  const raw = el.value.trim();
  if (raw === '') return null;
  if (spec.type === 'number') return Number(raw);
  if (spec.type === 'boolean') return raw === 'true';
  return raw;
}

export function whatIf(api: AugurApi, model: ModelCard, run: OkRun): HTMLElement {
  const actual: Record<string, InputValue | null> = {};
  for (const spec of model.inputs) actual[spec.name] = run.inputs[spec.name]?.value ?? null;
  const controls = new Map<string, HTMLInputElement | HTMLSelectElement>();
  const fields = model.inputs.map((spec) => {
    const id = uid(`whatif-${model.id}-${spec.name}`);
    const el = control(spec, actual[spec.name] ?? null, id);
    controls.set(spec.name, el);
    const unit = spec.type === 'number' ? displayUnit(spec.unit) : '';
    return h(
      'div',
      { class: 'field' },
      h(
        'label',
        { for: id },
        labelOf(model, spec.name),
        unit === '' ? '' : h('span', { class: 'unit' }, ` (${unit})`),
      ),
      el,
      h('span', { class: 'actual' }, `actual: ${valueText(run.inputs[spec.name] ?? { value: null })}`),
    );
  });
  const initial = new Map([...controls].map(([name, el]) => [name, el.value]));
  const result = h('div', { class: 'whatif-result', 'aria-live': 'polite', 'data-state': 'idle' });
  const reset = h('button', { type: 'reset' }, 'Reset to actual values');
  const form = h(
    'form',
    { class: 'whatif-form', 'data-model': model.id },
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
        el === undefined || el.value === initial.get(spec.name)
          ? (actual[spec.name] ?? null)
          : readValue(spec, el);
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
    try {
      const answer = await api.evaluate(model.id, inputs);
      if (mine !== seq) return;
      const hypo: OkRun = {
        ...run,
        inputs: Object.fromEntries(
          model.inputs.map((s) => [
            s.name,
            { ...(run.inputs[s.name] ?? { flags: [] }), value: inputs[s.name] ?? null },
          ]),
        ),
        outputs: answer.outputs,
        ...(answer.explanation === undefined ? {} : { explanation: answer.explanation }),
      };
      const first = shownOutputs(model)[0];
      const before = first === undefined ? undefined : run.outputs[first.name];
      const after = first === undefined ? undefined : answer.outputs[first.name];
      const change = first === undefined ? undefined : changeUnit(first);
      const delta =
        first === undefined || change === undefined || before === undefined || after === undefined
          ? ''
          : `${formatOutput(first, after)} instead of ${formatOutput(first, before)} (${signed((after - before) * change.scale)} ${change.unit})`;
      result.dataset['state'] = 'ok';
      replaceChildren(
        result,
        hypotheticalBanner('Hypothetical — not this patient’s record. ', delta),
        h('p', {}, `Changed: ${changed.map((n) => labelOf(model, n)).join(', ')}.`),
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
          err instanceof ApiError ? err.message : 'Augur could not evaluate these values.',
        ),
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
