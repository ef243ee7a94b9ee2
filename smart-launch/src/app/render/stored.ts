/**
 * The result behind the card that launched the app, beside the live recomputation. When a number
 * differs, say so plainly and name the inputs whose record changed since.
 */
import type { ResultPayload } from '../../../../src/cards/result.js';
import { h } from '../dom.js';
import { dateText, dateTimeText, valueText } from '../format.js';
import { humanText, labelOf } from '../labels.js';
import type { ModelCard, ModelRun } from '../types.js';
import { calculatedInputs, indicatorBadge } from './card-indicator.js';
import { noEstimateText, summaryText } from './headline.js';

function runText(model: ModelCard, run: ModelRun): string {
  if (run.status === 'ok') return summaryText(model, run);
  if (run.status === 'insufficient-data') return `no estimate (${noEstimateText(model, run)})`;
  return `does not apply (${humanText(run.reason)})`;
}

function changedInputs(model: ModelCard, then: ModelRun, now: ModelRun): string[] {
  if (then.status === 'not-applicable' || now.status === 'not-applicable') return [];
  return model.inputs.flatMap((spec) => {
    const a = then.inputs[spec.name];
    const b = now.inputs[spec.name];
    if (a === undefined || b === undefined) return [];
    // The stored result leaves some fields out (no birth date, for one): compare only what both hold.
    const same = (x: string | undefined, y: string | undefined): boolean =>
      x === undefined || y === undefined || x === y;
    if (a.value === b.value && same(a.date, b.date) && same(a.source, b.source)) return [];
    const when = (p: typeof a): string => (p.date === undefined ? '' : ` (${dateText(p.date)})`);
    return [
      `${labelOf(model, spec.name)}: ${valueText(a, spec.name)}${when(a)} → ${valueText(b, spec.name)}${when(b)}`,
    ];
  });
}

export function storedComparison(
  stored: ResultPayload,
  models: readonly ModelCard[],
  live: ReadonlyMap<string, ModelRun>,
): HTMLElement {
  const when = new Date(stored.computedAt);
  const computed = Number.isNaN(when.getTime()) ? stored.computedAt : dateTimeText(when);
  const rows = stored.runs.flatMap((then) => {
    const model = models.find((m) => m.id === then.model.id);
    const now = live.get(then.model.id);
    if (model === undefined || then.status === 'not-applicable') return [];
    const thenText = runText(model, then);
    const nowText = now === undefined ? 'not recomputed' : runText(model, now);
    const same = thenText === nowText;
    const changes = now === undefined ? [] : changedInputs(model, then, now);
    return [
      h(
        'li',
        { 'data-model': model.id, 'data-same': String(same) },
        h('strong', {}, model.name),
        ': ',
        h('span', { class: 'stored-value' }, thenText),
        same
          ? h('span', { class: 'same' }, ' — the same now.')
          : now === undefined
            ? h(
                'span',
                { class: 'not-recomputed' },
                ' — not recomputed here (this app does not list this model).',
              )
            : h(
                'span',
                { class: 'differs' },
                h('span', { 'aria-hidden': 'true' }, ' ≠ '),
                ` Now: ${nowText}. The record has changed since the card was computed.`,
              ),
        changes.length === 0
          ? ''
          : h(
              'ul',
              { class: 'changes' },
              changes.map((c) => h('li', {}, c)),
            ),
      ),
    ];
  });
  return h(
    'section',
    { class: 'stored', id: 'from-card', 'aria-labelledby': 'stored-h' },
    h('h2', { id: 'stored-h' }, `From the card you opened (computed at ${computed})`),
    stored.card === undefined ? '' : indicatorBadge(stored.card.indicator),
    stored.card === undefined ? '' : h('p', { class: 'card-summary' }, stored.card.summary),
    calculatedInputs(stored.findings),
    rows.length === 0 ? '' : h('ul', { class: 'stored-runs' }, rows),
  );
}
