/**
 * The survival curve of a time-to-event model (manifest `survival`, e.g. the DeepSurv research
 * reproduction behind the breast-rfs-research card): S(t) at every horizon of the model's baseline
 * hazard (1–10 years), computed from the linear predictor of the card's stored run with the same pure
 * step the service used (src/models/survival.ts), drawn as a line (chart.js) with a table as its text
 * equivalent, under the model's research / limitation caveat.
 */
import '../../styles/survival.css';
import type { ResultPayload } from '../../../../src/cards/result.js';
import { survivalCurve, type SurvivalCurve } from '../../../../src/models/survival.js';
import { cssColor, drawChart, whenVisible } from '../charts.js';
import { h } from '../dom.js';
import { percent } from '../format.js';
import type { ModelCard } from '../types.js';

const UNIT: Record<string, string> = { a: 'years', mo: 'months', d: 'days' };

/** The caveat a clinician must read first: the model's research statement, else its first limitation. */
function caveat(model: ModelCard): string | undefined {
  return model.limitations.find((l) => /research/i.test(l)) ?? model.limitations[0];
}

function figure(model: ModelCard, curve: SurvivalCurve): HTMLElement {
  const unit = UNIT[curve.timeUnit] ?? curve.timeUnit;
  const first = curve.points[0];
  const last = curve.points.at(-1);
  const summary =
    first === undefined || last === undefined
      ? ''
      : `${percent(first.survival)} at ${String(first.time)} and ${percent(last.survival)} at ${String(last.time)} ${unit}`;
  const holder = h('div', { class: 'chart survival' });
  whenVisible(holder, () => {
    const chart = drawChart<'line'>(holder, `${model.name}: ${curve.outcome}, ${summary}`, {
      type: 'line',
      data: {
        datasets: [
          {
            data: curve.points.map((p) => ({ x: p.time, y: p.survival * 100 })),
            borderColor: cssColor('--accent', '#0b5cad'),
            backgroundColor: cssColor('--accent', '#0b5cad'),
            pointRadius: 3,
            stepped: false,
          },
        ],
      },
      options: {
        plugins: {
          tooltip: {
            callbacks: {
              title: (items) => `${String(items[0]?.parsed.x ?? '')} ${unit}`,
              label: (item) => `${(item.parsed.y ?? 0).toFixed(1)} %`,
            },
          },
        },
        scales: {
          x: {
            type: 'linear',
            min: 0,
            max: last?.time ?? 10,
            ticks: { stepSize: 1 },
            title: { display: true, text: unit },
          },
          y: { min: 0, max: 100, title: { display: true, text: 'survival (%)' } },
        },
      },
    });
    holder.dataset['points'] = String(chart.data.datasets[0]?.data.length ?? 0);
  });
  return h(
    'section',
    { class: 'survival-curve', 'data-model': model.id, 'aria-labelledby': `survival-h-${model.id}` },
    h('h3', { id: `survival-h-${model.id}` }, `${model.name}: ${curve.outcome}`),
    ((c) => (c === undefined ? '' : h('p', { class: 'caveat', role: 'note' }, c)))(caveat(model)),
    h('figure', {}, h('figcaption', {}, `Estimated ${curve.outcome}: ${summary}.`), holder),
    h(
      'table',
      { class: 'survival-table' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, `Time (${unit})`),
          h('th', { scope: 'col' }, 'Survival'),
          h('th', { scope: 'col' }, 'Event by then'),
        ),
      ),
      h(
        'tbody',
        {},
        curve.points.map((p) =>
          h(
            'tr',
            { 'data-time': String(p.time) },
            h('td', {}, String(p.time)),
            h('td', {}, percent(p.survival)),
            h('td', {}, percent(p.eventProbability)),
          ),
        ),
      ),
    ),
    h('p', { class: 'muted' }, curve.note),
  );
}

/** One survival figure per successful stored run of a model with a `survival` block; '' when none. */
export function storedSurvival(stored: ResultPayload, models: readonly ModelCard[]): HTMLElement | '' {
  const figures = stored.runs.flatMap((run) => {
    if (run.status !== 'ok') return [];
    const model = models.find((m) => m.id === run.model.id);
    const spec = model?.survival;
    if (model === undefined || spec === undefined) return [];
    const lp = run.outputs[spec.linearPredictor];
    return lp === undefined || !Number.isFinite(lp) ? [] : [figure(model, survivalCurve(spec, lp))];
  });
  return figures.length === 0
    ? ''
    : h(
        'section',
        { class: 'survival', id: 'survival', 'aria-labelledby': 'survival-h' },
        h('h2', { id: 'survival-h' }, 'Survival curve (from the card you opened)'),
        figures,
      );
}
