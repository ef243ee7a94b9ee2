/**
 * The waterfall chart: the reference profile's value, each input's step (largest first), this
 * patient's value. Direction is in the labels (▲ raises, ▼ lowers) as well as in the colour.
 */
import { Chart } from 'chart.js';
import { cssColor, drawChart, whenVisible } from '../charts.js';
import { h } from '../dom.js';
import { changeUnit, formatNumber, signed, valueText } from '../format.js';
import { labelOf, outputLabel } from '../labels.js';
import type { ModelCard, OkRun } from '../types.js';
import { amountKind, referenceWords, waterfall } from '../waterfall.js';

const LINE_PX = 15;
const BAR_PAD_PX = 12;

/** Words wrapped into lines of at most `max` characters (a longer single word stays whole). */
export function wrapLabel(text: string, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && line.length + 1 + word.length > max) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

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
  const reference = referenceWords(run);
  const unitShort = spec.unit.startsWith('fraction') ? '%' : ` ${u.short}`;
  const fmt = (v: number): string => `${formatNumber(v)}${unitShort}`;
  const rows = [
    { label: wf.baseLabel, range: [0, wf.start] as [number, number], kind: 'total' },
    ...wf.steps.map((s) => {
      const p = run.inputs[s.input];
      const value = p === undefined ? '' : ` ${valueText(p, s.input)}`;
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
    `Waterfall chart: ${outputLabel(model, spec)} goes from ${fmt(wf.start)} for ${reference.label ?? 'the reference profile'} ` +
    `to ${fmt(wf.end)}${hypothetical ? ' (hypothetical)' : ''}. ` +
    (biggest === ''
      ? 'No input moves it.'
      : `Largest effects: ${biggest} ${u.unit}. Every input is in the table below.`);
  const kind = amountKind(run, output);
  const scaleName = run.explanation.scales.find((s) => s.output === output)?.additiveScale ?? 'additive';
  const who = hypothetical ? 'the hypothetical patient' : 'this patient';
  const caption = wf.exact
    ? `Points each criterion adds, from ${reference.label ?? 'the reference profile'} to ${who}.`
    : kind === 'exact-shapley'
      ? `Each input’s contribution in ${u.unit}: its average effect on the risk, over every order of changing the inputs from the reference to ${who} (exact Shapley values on the risk scale).`
      : `Approximate share of each input, in ${u.unit}, from the reference profile to ${who} (exact values on the model's ${scaleName} scale are in the table).`;
  // Labels wrap so they fit beside the bars at side-panel width (Chart.js gives the label axis at
  // most half the canvas; a long label would run off the left edge).
  // Wrapped for the width the chart is drawn at, and again when it is resized (side panel ↔ full width).
  const wrapFor = (width: number): string[][] => rows.map((r) => wrapLabel(r.label, width < 560 ? 18 : 36));
  const narrow = window.innerWidth < 600;
  const lines = wrapFor(window.innerWidth);
  const holder = h('div', { class: 'chart waterfall' });
  holder.style.height = `${String(lines.reduce((n, l) => n + l.length * LINE_PX + BAR_PAD_PX, 0) + 48)}px`;
  const figure = h(
    'figure',
    { class: 'waterfall-figure', 'data-amounts': kind },
    reference.label === undefined
      ? ''
      : h(
          'p',
          { class: 'compared-with' },
          h('strong', {}, `Compared with ${reference.label}`),
          `: ${fmt(wf.start)}.`,
          reference.rationale === undefined ? '' : ` ${reference.rationale}`,
        ),
    holder,
    h('figcaption', {}, caption),
  );
  whenVisible(holder, () => {
    const chart = drawChart<'bar'>(holder, label, {
      type: 'bar',
      data: {
        labels: lines as unknown as string[],
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
        onResize: (c, size) => {
          const wrapped = wrapFor(size.width);
          if (JSON.stringify(wrapped) === JSON.stringify(c.data.labels)) return;
          c.data.labels = wrapped;
          const y = c.options.scales?.['y'];
          if (y?.ticks !== undefined) y.ticks.font = { size: size.width < 560 ? 11 : 12 };
          c.update('none');
        },
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
          y: { ticks: { autoSkip: false, font: { size: narrow ? 11 : 12 } } },
        },
      },
    });
    // Whether every label line fits beside the bars (the browser tests read this).
    const y = chart.scales['y'];
    if (y !== undefined) {
      chart.ctx.save();
      chart.ctx.font = `${String(narrow ? 11 : 12)}px ${String(Chart.defaults.font.family)}`;
      const widest = Math.max(...lines.flat().map((l) => chart.ctx.measureText(l).width));
      chart.ctx.restore();
      holder.dataset['labelWidth'] = widest.toFixed(0);
      holder.dataset['axisWidth'] = y.width.toFixed(0);
      holder.dataset['axisLeft'] = y.left.toFixed(0);
    }
  });
  return figure;
}
