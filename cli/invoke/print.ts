/** Cards and the trace, readable in a terminal (plain text; no colours, so it reads the same in a log). */
import type { Card } from '../../src/cds/types.js';
import type { Trace } from '../../src/trace/types.js';

const indent = (text: string, by = '    '): string =>
  text
    .split('\n')
    .map((l) => (l === '' ? '' : `${by}${l}`))
    .join('\n');

export function formatCards(cards: readonly Card[]): string {
  if (cards.length === 0) return 'no cards\n';
  return cards.map(formatCard).join('\n');
}

function formatCard(c: Card): string {
  const lines = [`  [${c.indicator.toUpperCase()}] ${c.summary}`];
  if (c.detail !== undefined) lines.push(indent(c.detail));
  lines.push(`    source: ${c.source.label}${c.source.url === undefined ? '' : ` <${c.source.url}>`}`);
  for (const s of c.suggestions ?? []) {
    lines.push(`    suggestion: ${s.label}${s.isRecommended === true ? ' (recommended)' : ''}`);
    for (const a of s.actions ?? []) lines.push(`      ${a.type}: ${a.description}`);
  }
  for (const l of c.links ?? [])
    lines.push(
      `    link (${l.type}): ${l.label} <${l.url}>${l.appContext === undefined ? '' : ` appContext=${l.appContext}`}`,
    );
  if (c.overrideReasons !== undefined && c.overrideReasons.length > 0)
    lines.push(`    override reasons: ${c.overrideReasons.map((r) => r.display ?? r.code).join('; ')}`);
  return `${lines.join('\n')}\n`;
}

export function formatTrace(t: Trace): string {
  const out: string[] = ['  trace:', '    prefetch:'];
  for (const p of t.prefetch) {
    const from =
      p.source === 'ehr' ? 'from the EHR' : p.source === 'fetched' ? 'fetched by Augur' : 'UNAVAILABLE';
    const size =
      p.entries === undefined
        ? ''
        : ` (${String(p.entries)} resources${p.complete === false ? ', incomplete' : ''})`;
    out.push(
      `      ${p.key}: ${from}${p.state === 'no-data' ? ', no data' : size}${p.reason === undefined ? '' : ` — ${p.reason}`}`,
    );
    for (const u of p.unreadable ?? []) out.push(`        unreadable ${u.reference}: ${u.problem}`);
  }
  out.push('    models:');
  if (t.models.length === 0) out.push('      (none run)');
  for (const m of t.models) {
    const result =
      m.outputs === undefined
        ? ''
        : ` → ${Object.entries(m.outputs)
            .map(([k, v]) => `${k} ${String(Math.round(v * 10000) / 10000)}`)
            .join(', ')}`;
    out.push(
      `      ${m.model}: ${m.population === 'in' ? 'in population' : 'OUT of population'}, ${m.status}${m.reason === undefined ? '' : ` — ${m.reason}`}${result}${m.band === undefined ? '' : ` (band ${m.band})`}`,
    );
    for (const i of m.inputs) {
      const value = i.value === null ? '—' : `${String(i.value)}${i.unit === undefined ? '' : ` ${i.unit}`}`;
      const extra = [
        i.date === undefined ? '' : i.date,
        i.source ?? '',
        i.flags.length === 0 ? '' : `[${i.flags.join(', ')}]`,
        i.note ?? '',
      ].filter((x) => x !== '');
      out.push(`        ${i.name} = ${value}${extra.length === 0 ? '' : `  (${extra.join('; ')})`}`);
    }
  }
  out.push('    cards:');
  if (t.cards.length === 0) out.push('      (no decision recorded)');
  for (const c of t.cards) {
    const what = [c.card, c.key === undefined || c.key === c.card ? undefined : c.key, c.orderRef]
      .filter((x) => x !== undefined)
      .join(' ');
    const by =
      c.suppressedBy === undefined
        ? ''
        : ` — ${c.suppressedBy.feedback} on card ${c.suppressedBy.onCard} at ${c.suppressedBy.at}${c.suppressedBy.until === undefined ? ', silent for good' : `, silent until ${c.suppressedBy.until}`}`;
    out.push(
      `      ${c.decision.toUpperCase()}${what === '' ? '' : ` ${what}`}${c.reason === undefined ? '' : `: ${c.reason}`}${by}`,
    );
  }
  return `${out.join('\n')}\n`;
}
