/**
 * The waterfall chart: the reference profile's value, each input's step (largest first), this
 * patient's value. Direction is in the labels (▲ raises, ▼ lowers) as well as in the colour.
 */
import { cssColor, drawChart } from '../charts.js';
import { h } from '../dom.js';
import { changeUnit, formatNumber, signed, valueText } from '../format.js';
import { labelOf } from '../labels.js';
import type { ModelCard, OkRun } from '../types.js';
import { waterfall } from '../waterfall.js';

const BAR_PX = 26;

export function waterfallFigure(
  model: ModelCard,
  run: OkRun,
  output: string,
  hypothetical = false,
): HTMLElement {
  const spec = model.outputs.find((o) => o.name === output);
  const u = spec === undefined ? undefined : changeUnit(spec);
  const wf = u === undefined ? undefined : waterfall(run, output, u.scale);
  if (spec === undefined || u === undefined || wf === undefined)
    return h('p', { class: 'muted' }, 'No per-input breakdown is available for this result.');
  const unitShort = spec.unit.startsWith('fraction') ? '%' : ` ${u.short}`;
  const fmt = (v: number): string => `${formatNumber(v)}${unitShort}`;
  const rows = [
    { label: 'Reference profile', range: [0, wf.start] as [number, number], kind: 'total' },
    ...wf.steps.map((s) => {
      const p = run.inputs[s.input];
      const value = p === undefined ? '' : ` ${valueText(p)}`;
      return {
        label: `${s.amount > 0 ? '▲' : '▼'} ${labelOf(model, s.input)}${value}`,
        range: [s.from, s.to] as [number, number],
        kind: s.amount > 0 ? 'up' : 'down',
      };
    }),
    {
      label: hypothetical ? 'Hypothetical patient' : 'This patient',
      range: [0, wf.end] as [number, number],
      kind: 'total',
    },
  ];
  const colours = {
    up: cssColor('--raise', '#b3261e'),
    down: cssColor('--lower', '#1b6e3c'),
    total: cssColor('--total', '#44546a'),
  };
  const biggest = wf.steps
    .slice(0, 3)
    .map((s) => `${labelOf(model, s.input)} ${signed(s.amount)}`)
    .join(', ');
  const label =
    `Waterfall chart: ${spec.description.replace(/\.$/, '')} goes from ${fmt(wf.start)} for the reference profile ` +
    `to ${fmt(wf.end)}${hypothetical ? ' (hypothetical)' : ''}. ` +
    (biggest === ''
      ? 'No input moves it.'
      : `Largest effects: ${biggest} ${u.unit}. Every input is in the table below.`);
  const holder = h('div', { class: 'chart waterfall' });
  holder.style.height = `${String(rows.length * BAR_PX + 48)}px`;
  const figure = h(
    'figure',
    { class: 'waterfall-figure' },
    holder,
    h(
      'figcaption',
      {},
      wf.exact
        ? `Points each criterion adds, from the reference profile to ${hypothetical ? 'the hypothetical patient' : 'this patient'}.`
        : `Approximate share of each input, in ${u.unit}, from the reference profile to ${hypothetical ? 'the hypothetical patient' : 'this patient'} (exact values on the model's ${run.explanation.scales.find((s) => s.output === output)?.additiveScale ?? 'additive'} scale are in the table).`,
    ),
  );
  queueMicrotask(() => {
    drawChart<'bar'>(holder, label, {
      type: 'bar',
      data: {
        labels: rows.map((r) => r.label),
        datasets: [
          {
            data: rows.map((r) => r.range),
            backgroundColor: rows.map((r) => colours[r.kind as keyof typeof colours]),
            borderWidth: 0,
            barPercentage: 0.9,
            categoryPercentage: 0.9,
          },
        ],
      },
      options: {
        indexAxis: 'y',
        plugins: {
          tooltip: {
            callbacks: {
              label: (item) => {
                const r = rows[item.dataIndex];
                if (r === undefined) return '';
                return r.kind === 'total' ? fmt(r.range[1]) : `${signed(r.range[1] - r.range[0])} ${u.unit}`;
              },
            },
          },
        },
        scales: {
          x: {
            ticks: { callback: (v) => fmt(Number(v)) },
            title: { display: true, text: spec.unit.startsWith('fraction') ? '%' : u.unit },
          },
          y: { ticks: { autoSkip: false, font: { size: 12 } } },
        },
      },
    });
  });
  return figure;
}
