/** One model's section: the result and band, what to check, the waterfall, the inputs, what-if, the model card. */
import type { AugurApi } from '../augur-api.js';
import { disposeCharts } from '../charts.js';
import { h, replaceChildren, uid } from '../dom.js';
import { flagText, warningFlags } from '../format.js';
import { humanText, inputName, labelOf, outputLabel } from '../labels.js';
import type { Omitted } from '../model-selection.js';
import type { ModelCard, ModelRun, OkRun } from '../types.js';
import { headline, noEstimateText, shownOutputs } from './headline.js';
import { inputsTable } from './inputs-table.js';
import { modelCardDetails } from './model-card.js';
import { waterfallFigure } from './waterfall-chart.js';
import { whatIf } from './what-if.js';

export const sectionId = (model: ModelCard): string => `model-${model.id}`;

/** "Check: Systolic BP — stale; HDL-C — outside the model’s range" (symbols + words). */
function attention(
  model: ModelCard,
  run: Exclude<ModelRun, { status: 'not-applicable' }>,
): HTMLElement | string {
  const items = model.inputs.flatMap((spec) => {
    const p = run.inputs[spec.name];
    const flags = p === undefined ? [] : warningFlags(p);
    if (flags.length === 0) return [];
    return [
      h(
        'li',
        { 'data-input': spec.name },
        h('strong', {}, labelOf(model, spec.name)),
        ': ',
        flags.map((f) => `${flagText(f).symbol} ${flagText(f).words}`).join(', '),
      ),
    ];
  });
  const warnings =
    run.status === 'ok' ? run.warnings.filter((w) => !items.some((i) => i.dataset['input'] === w.input)) : [];
  if (items.length === 0 && warnings.length === 0) return '';
  return h(
    'div',
    { class: 'attention', role: 'note' },
    h('p', {}, h('span', { 'aria-hidden': 'true' }, '⚠ '), 'Check before relying on this result:'),
    h(
      'ul',
      {},
      items,
      warnings.map((w) => h('li', {}, h('strong', {}, labelOf(model, w.input)), `: ${humanText(w.message)}`)),
    ),
  );
}

/** A collapsed section below the headline: the page stays scannable at side-panel width. */
export function fold(
  summary: string,
  attrs: Record<string, string>,
  ...content: (HTMLElement | string)[]
): HTMLDetailsElement {
  return h('details', { class: 'fold', ...attrs }, h('summary', {}, summary), ...content);
}

function drivers(model: ModelCard, run: OkRun): HTMLElement {
  const outputs = shownOutputs(model);
  const first = outputs[0]?.name;
  const chartSlot = h('div', { class: 'chart-slot' });
  const tableSlot = h('div', { class: 'table-slot' });
  const show = (output: string | undefined): void => {
    disposeCharts(chartSlot);
    replaceChildren(chartSlot, output === undefined ? '' : waterfallFigure(model, run, output));
    replaceChildren(tableSlot, inputsTable(model, run, output));
  };
  show(first);
  let picker: HTMLElement | string = '';
  if (outputs.length > 1) {
    const id = uid('output');
    const select = h(
      'select',
      { id },
      outputs.map((o) => h('option', { value: o.name }, outputLabel(model, o))),
    );
    select.addEventListener('change', () => {
      show(select.value);
    });
    picker = h('div', { class: 'field output-picker' }, h('label', { for: id }, 'Explain: '), select);
  }
  return fold('What drives this result', { 'data-fold': 'drivers' }, picker, chartSlot, tableSlot);
}

/** What the patient's statin means for a risk equation that assumes none (the PCE). */
export interface StatinUse {
  source: string | undefined;
}

/** Models whose estimate is an untreated risk: on a statin, the number is not for deciding to start one. */
const UNTREATED_RISK_MODELS = new Set(['ascvd-pce-10y']);

function statinNote(model: ModelCard, statin: StatinUse | undefined): HTMLElement | string {
  if (statin === undefined || !UNTREATED_RISK_MODELS.has(model.id)) return '';
  return h(
    'p',
    { class: 'untreated', role: 'note', 'data-note': 'untreated-risk' },
    h('strong', {}, 'Untreated-risk estimate; not for statin initiation. '),
    `This patient is on a statin${statin.source === undefined ? '' : ` (${statin.source})`}, and the PCE assume no statin treatment.`,
  );
}

export function modelSection(
  api: AugurApi,
  model: ModelCard,
  run: Exclude<ModelRun, { status: 'not-applicable' }>,
  statin?: StatinUse,
): HTMLElement {
  const headingId = uid('h');
  const missing = run.status === 'ok' ? [] : model.inputs.filter((s) => run.missing.includes(s.name));
  const body =
    run.status === 'ok'
      ? [
          headline(model, run),
          statinNote(model, statin),
          h('div', {}, attention(model, run)),
          drivers(model, run),
          fold('What if?', { 'data-fold': 'what-if' }, whatIf(api, model, run)),
        ]
      : [
          h(
            'p',
            { class: 'no-estimate', role: 'note' },
            h('strong', {}, 'No estimate: '),
            `${noEstimateText(model, run)}.`,
          ),
          h('div', {}, attention(model, run)),
          fold(
            missing.length === 0
              ? 'What if?'
              : `What if? Enter ${missing.map((s) => inputName(model, s.name)).join(', ')} for a hypothetical estimate`,
            { 'data-fold': 'what-if' },
            whatIf(api, model, run),
          ),
          fold('Inputs', { 'data-fold': 'drivers' }, inputsTable(model, run, undefined)),
        ];
  return h(
    'section',
    {
      class: `model model-${run.status}`,
      id: sectionId(model),
      'aria-labelledby': headingId,
      'data-model': model.id,
      'data-status': run.status,
    },
    h('h2', { id: headingId }, model.name),
    body,
    modelCardDetails(model),
  );
}

export function notApplicableList(
  items: { model: ModelCard; run: Extract<ModelRun, { status: 'not-applicable' }> }[],
  notShown: readonly Omitted[] = [],
): HTMLElement | string {
  if (items.length === 0 && notShown.length === 0) return '';
  return h(
    'section',
    { class: 'not-applicable', id: 'not-applicable', 'aria-labelledby': 'na-h' },
    h('h2', { id: 'na-h' }, 'Models that do not apply to this patient'),
    h(
      'ul',
      {},
      items.map(({ model, run }) =>
        h(
          'li',
          { 'data-model': model.id, 'data-status': 'not-applicable' },
          h('strong', {}, model.name),
          ` — does not apply: ${humanText(run.reason)}`,
          run.source === undefined ? '' : ` (${run.source})`,
          '.',
          modelCardDetails(model),
        ),
      ),
      notShown.map(({ model, reason }) =>
        h(
          'li',
          { 'data-model': model.id, 'data-status': 'not-shown' },
          h('strong', {}, model.name),
          ` — not shown: ${reason}.`,
        ),
      ),
    ),
  );
}
