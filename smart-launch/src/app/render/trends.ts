/** Trend charts of the key inputs, each with a data table (a disclosure) as its text equivalent. */
import type { Plugin } from 'chart.js';
import { drawChart, cssColor, whenVisible } from '../charts.js';
import { h } from '../dom.js';
import { dateText, displayUnit, formatNumber, monthText } from '../format.js';
import { inputName } from '../labels.js';
import { trendAxes, type RefRange, type Series } from '../trends.js';

/** Shades the lab's reference range behind the line (drawn on the canvas: no inline style, CSP holds). */
function rangeShading(range: RefRange | undefined, fill: string): Plugin<'line'> {
  return {
    id: 'referenceRange',
    beforeDatasetsDraw(chart) {
      if (range === undefined) return;
      const { ctx, chartArea, scales } = chart;
      const y = scales['y'];
      if (y === undefined) return;
      const top = range.high === undefined ? chartArea.top : y.getPixelForValue(range.high);
      const bottom = range.low === undefined ? chartArea.bottom : y.getPixelForValue(range.low);
      ctx.save();
      ctx.fillStyle = fill;
      ctx.fillRect(
        chartArea.left,
        Math.max(top, chartArea.top),
        chartArea.right - chartArea.left,
        Math.min(bottom, chartArea.bottom) - Math.max(top, chartArea.top),
      );
      ctx.restore();
    },
  };
}

function rangeText(r: RefRange | undefined, unit: string): string {
  if (r === undefined) return '';
  const u = unit === '' ? '' : ` ${unit}`;
  if (r.low !== undefined && r.high !== undefined)
    return `reference range ${formatNumber(r.low)}–${formatNumber(r.high)}${u}`;
  if (r.low !== undefined) return `reference range ≥ ${formatNumber(r.low)}${u}`;
  return `reference range ≤ ${formatNumber(r.high ?? 0)}${u}`;
}

function seriesLabel(s: Series): string {
  return s.input === null ? 'Body weight' : inputName(s.model, s.input);
}

function trend(s: Series, now: Date): HTMLElement {
  const unit = displayUnit(s.unit);
  const label = seriesLabel(s);
  const last = s.points[s.points.length - 1];
  const first = s.points[0];
  const summary =
    last === undefined || first === undefined
      ? ''
      : `latest ${formatNumber(last.value)} ${unit} (${dateText(last.date)}); ${String(s.points.length)} result${s.points.length === 1 ? '' : 's'} since ${dateText(first.date)}`;
  const range = rangeText(s.referenceRange, unit);
  // One result is no trend: a chart of one dot on a years-wide axis only confuses.
  const holder =
    s.points.length < 2
      ? h('p', { class: 'muted' }, 'One result on file — no trend to draw.')
      : h('div', { class: 'chart trend' });
  if (s.points.length >= 2)
    whenVisible(holder, () => {
      const axes = trendAxes(s, now);
      const chart = drawChart<'line'>(
        holder,
        `${label} over time: ${summary}${range === '' ? '' : `; ${range} shaded`}`,
        {
          type: 'line',
          plugins: [rangeShading(s.referenceRange, cssColor('--range', 'rgba(27, 110, 60, 0.12)'))],
          data: {
            datasets: [
              {
                data: s.points.map((p) => ({ x: p.time, y: p.value })),
                borderColor: cssColor('--total', '#44546a'),
                backgroundColor: cssColor('--total', '#44546a'),
                pointRadius: 3,
              },
            ],
          },
          options: {
            plugins: {
              tooltip: {
                callbacks: { title: (items) => dateText(new Date(items[0]?.parsed.x ?? 0).toISOString()) },
              },
            },
            scales: {
              x: {
                type: 'linear',
                min: axes.xMin,
                max: axes.xMax,
                ticks: { maxTicksLimit: 4, callback: (v) => monthText(Number(v)) },
              },
              y: { min: axes.yMin, max: axes.yMax, title: { display: unit !== '', text: unit } },
            },
          },
        },
      );
      // What was drawn, for the browser tests and anyone inspecting the page.
      const { x, y } = chart.scales;
      holder.dataset['yMin'] = String(y?.min);
      holder.dataset['yMax'] = String(y?.max);
      holder.dataset['xMax'] = String(x?.max);
    });
  return h(
    'figure',
    {
      class: 'trend-figure',
      'data-series': s.input ?? 'body-weight',
      'data-range': range === '' ? undefined : range,
    },
    h(
      'figcaption',
      {},
      h('strong', {}, label),
      ` — ${summary}`,
      range === '' ? '' : h('span', { class: 'range-note' }, ` (shaded: ${range})`),
    ),
    holder,
    h(
      'details',
      {},
      h('summary', {}, `${label}: all values`),
      h(
        'table',
        {},
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, 'Date'),
            h('th', { scope: 'col' }, `Value (${unit})`),
            h('th', { scope: 'col' }, 'Source'),
          ),
        ),
        h(
          'tbody',
          {},
          [...s.points]
            .reverse()
            .map((p) =>
              h(
                'tr',
                {},
                h('td', {}, dateText(p.date)),
                h('td', {}, formatNumber(p.value)),
                h('td', { class: 'source' }, p.source ?? '—'),
              ),
            ),
        ),
      ),
    ),
  );
}

export function trendsSection(series: readonly Series[], now: Date): HTMLElement {
  return h(
    'section',
    { class: 'trends', id: 'trends', 'aria-labelledby': 'trends-h' },
    h('h2', { id: 'trends-h' }, 'Trends of key inputs'),
    series.length === 0
      ? h('p', { class: 'muted' }, 'No dated results for these inputs on file.')
      : h(
          'div',
          { class: 'trend-grid' },
          series.map((x) => trend(x, now)),
        ),
  );
}
