/**
 * report.html: one self-contained page (no script, no external file) with inline SVG bar charts drawn
 * from the summary — the distribution of each model's number, counts per band and per gap, the inputs
 * most often missing or stale, why patients were out of population or not scored, and the input
 * problems with file and line. Every text is escaped; the page holds identifiers and results only.
 */
import type { Summary } from './summary.js';

const esc = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** A horizontal bar chart: one bar per label, value at its end. */
export function barChart(title: string, rows: readonly [string, number][]): string {
  if (rows.length === 0) return `<figure><figcaption>${esc(title)}</figcaption><p>none</p></figure>`;
  const max = Math.max(...rows.map(([, v]) => v), 1);
  const h = 20;
  const labelW = 260;
  const barW = 380;
  const bars = rows
    .map(([label, v], i) => {
      const w = Math.max(1, Math.round((v / max) * barW));
      const y = i * h;
      // Long labels (reasons) are shortened on the axis; the bar's tooltip has the whole text.
      const shown = label.length > 42 ? `${label.slice(0, 41)}…` : label;
      return `<g><text x="${String(labelW - 6)}" y="${String(y + 14)}" text-anchor="end">${esc(shown)}</text><rect x="${String(labelW)}" y="${String(y + 3)}" width="${String(w)}" height="${String(h - 6)}" fill="#3b6ea5"><title>${esc(label)}: ${String(v)}</title></rect><text x="${String(labelW + w + 4)}" y="${String(y + 14)}">${String(v)}</text></g>`;
    })
    .join('');
  const height = rows.length * h + 4;
  return `<figure><figcaption>${esc(title)}</figcaption><svg class="chart" role="img" aria-label="${esc(title)}" xmlns="http://www.w3.org/2000/svg" width="${String(labelW + barW + 60)}" height="${String(height)}" font-size="12" font-family="sans-serif">${bars}</svg></figure>`;
}

const top = (r: Record<string, number>, n = 15): [string, number][] =>
  Object.entries(r)
    .sort((a, b) => b[1] - a[1])
    .slice(0, n);

function histogramRows(d: NonNullable<Summary['models'][string]['distribution']>): [string, number][] {
  if (d.kind === 'points')
    return d.bins.map((v, i) => [`${String(i)}${i === d.bins.length - 1 ? '+' : ''} points`, v]);
  const w = 100 / d.bins.length;
  return d.bins.map((v, i) => [`${String(i * w)}–${String((i + 1) * w)} %`, v]);
}

export function renderReport(s: Summary): string {
  const models = Object.values(s.models).sort((a, b) => a.model.localeCompare(b.model));
  const sections: string[] = [];
  sections.push(
    `<section><h2>Patients</h2><table><tr><th>in the input</th><td>${String(s.patients.total)}</td></tr><tr><th>scored</th><td>${String(s.patients.scored)}</td></tr><tr><th>not scored</th><td>${String(s.patients.notScored)}</td></tr><tr><th>with at least one care gap</th><td>${String(s.patients.withGap)}</td></tr><tr><th>outside every model's population</th><td>${String(s.patients.outOfEveryModel)}</td></tr></table></section>`,
  );
  sections.push(
    `<section><h2>Care gaps</h2>${barChart(
      'Patients per care gap',
      Object.entries(s.gaps).map(([id, g]) => [id, g.patients]),
    )}${Object.entries(s.gaps)
      .map(([id, g]) => barChart(`${id} (${g.label}): patients per band`, top(g.bands)))
      .join('')}</section>`,
  );
  for (const m of models) {
    const parts = [`<h2>${esc(m.model)}</h2>`, barChart(`${m.model}: patients per status`, top(m.status))];
    if (m.distribution !== undefined)
      parts.push(
        barChart(`${m.model}: distribution of ${m.distribution.output}`, histogramRows(m.distribution)),
      );
    if (Object.keys(m.bands).length > 0) parts.push(barChart(`${m.model}: patients per band`, top(m.bands)));
    if (Object.keys(m.missing).length > 0)
      parts.push(barChart(`${m.model}: inputs most often missing`, top(m.missing)));
    if (Object.keys(m.stale).length > 0)
      parts.push(barChart(`${m.model}: inputs most often stale`, top(m.stale)));
    if (Object.keys(m.reasons).length > 0)
      parts.push(
        barChart(`${m.model}: why no number (out of population, insufficient data)`, top(m.reasons, 10)),
      );
    sections.push(`<section>${parts.join('')}</section>`);
  }
  const notScored = s.notScored
    .slice(0, 1000)
    .map((p) => `<tr><td>${esc(p.patientId)}</td><td>${esc(p.reason)}</td></tr>`)
    .join('');
  sections.push(
    `<section><h2>Patients not scored (${String(s.notScored.length)})</h2>${
      s.notScored.length === 0
        ? '<p>none</p>'
        : `<table><tr><th>patient</th><th>why</th></tr>${notScored}</table>`
    }${s.notScored.length > 1000 ? '<p>The full list is in summary.json.</p>' : ''}</section>`,
  );
  const problems = s.inputProblems.examples
    .map(
      (p) =>
        `<tr><td>${esc(p.kind)}</td><td>${esc(p.file)}</td><td>${String(p.line)}</td><td>${esc(p.detail)}</td></tr>`,
    )
    .join('');
  sections.push(
    `<section><h2>Input problems</h2>${barChart('Lines left out, by kind', top(s.inputProblems.counts))}${
      problems === ''
        ? ''
        : `<table><tr><th>kind</th><th>file</th><th>line</th><th>detail</th></tr>${problems}</table>`
    }</section>`,
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Augur population scoring report</title>
<style>body{font-family:sans-serif;margin:2rem;max-width:60rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}figure{margin:1rem 0}figcaption{font-weight:bold}</style>
</head><body><h1>Augur population scoring report</h1>
<p>Computed at ${esc(s.computedAt)} · ${String(s.input.files.length)} input files, ${String(s.input.resources)} resources read · ${s.run.patientsPerSecond.toFixed(1)} patients/s on ${String(s.run.workers)} worker(s)</p>
${sections.join('\n')}
</body></html>
`;
}
