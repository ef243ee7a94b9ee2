/** Trend charts of the key inputs, each with a data table (a disclosure) as its text equivalent. */
import { drawChart, cssColor } from '../charts.js';
import { h } from '../dom.js';
import { dateText, displayUnit, formatNumber } from '../format.js';
import { labelOf } from '../labels.js';
import type { Series } from '../trends.js';

function seriesLabel(s: Series): string {
  return s.input === null ? 'Body weight' : labelOf(s.model, s.input);
}

function trend(s: Series): HTMLElement {
  const unit = displayUnit(s.unit);
  const label = seriesLabel(s);
  const last = s.points[s.points.length - 1];
  const first = s.points[0];
  const summary =
    last === undefined || first === undefined
      ? ''
      : `latest ${formatNumber(last.value)} ${unit} (${dateText(last.date)}); ${String(s.points.length)} result${s.points.length === 1 ? '' : 's'} since ${dateText(first.date)}`;
  // One result is no trend: a chart of one dot on a years-wide axis only confuses.
  const holder =
    s.points.length < 2
      ? h('p', { class: 'muted' }, 'One result on file — no trend to draw.')
      : h('div', { class: 'chart trend' });
  if (s.points.length >= 2)
    queueMicrotask(() => {
      drawChart<'line'>(holder, `${label} over time: ${summary}`, {
        type: 'line',
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
              ticks: { maxTicksLimit: 5, callback: (v) => new Date(Number(v)).toISOString().slice(0, 7) },
            },
            y: { grace: '10%', title: { display: unit !== '', text: unit } },
          },
        },
      });
    });
  return h(
    'figure',
    { class: 'trend-figure', 'data-series': s.input ?? 'body-weight' },
    h('figcaption', {}, h('strong', {}, label), ` — ${summary}`),
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

export function trendsSection(series: readonly Series[]): HTMLElement {
  return h(
    'section',
    { class: 'trends', id: 'trends', 'aria-labelledby': 'trends-h' },
    h('h2', { id: 'trends-h' }, 'Trends of key inputs'),
    series.length === 0
      ? h('p', { class: 'muted' }, 'No dated results for these inputs on file.')
      : h('div', { class: 'trend-grid' }, series.map(trend)),
  );
}
