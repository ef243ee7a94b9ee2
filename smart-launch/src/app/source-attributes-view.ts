/**
 * The model card's HTI-1 source attributes as the side app shows them (a pure view model): grouped
 * as the rule groups them, each row with a human label, the answer or why it is not available, and a
 * plain list of what the model's developer has not stated (bring-your-own packages may load with gaps).
 */
import type { ResolvedSourceAttributes } from '../../../src/transparency/resolve.js';

export interface AttributeRow {
  id: string;
  label: string;
  text: string;
  status: 'stated' | 'not-available' | 'missing';
  citations: { text: string; href?: string }[];
}

export interface SourceAttributesView {
  title: string;
  /** Empty when complete; otherwise names every missing attribute. */
  missingNote: string;
  groups: { group: string; rows: AttributeRow[] }[];
}

function rowOf(a: ResolvedSourceAttributes['attributes'][number]): AttributeRow {
  const text =
    a.status === 'stated'
      ? (a.value ?? '')
      : a.status === 'not-available'
        ? `Not available: ${a.reason ?? ''}`
        : 'Missing — not stated by the model’s developer.';
  const citations = (a.citations ?? []).map((c) => {
    const href = c.url ?? (c.doi === undefined ? undefined : `https://doi.org/${c.doi}`);
    return href === undefined ? { text: c.text } : { text: c.text, href };
  });
  return { id: a.id, label: a.label, text, status: a.status, citations };
}

/** The view, or undefined when the card carries no attributes (an older Augur). */
export function sourceAttributesView(
  s: ResolvedSourceAttributes | undefined,
): SourceAttributesView | undefined {
  if (s === undefined) return undefined;
  const kind = s.set === 'predictive' ? 'predictive' : 'evidence-based';
  const groups: SourceAttributesView['groups'] = [];
  for (const a of s.attributes) {
    const last = groups.at(-1);
    if (last?.group === a.group) last.rows.push(rowOf(a));
    else groups.push({ group: a.group, rows: [rowOf(a)] });
  }
  const missingNote =
    s.missing.length === 0
      ? ''
      : `${String(s.missing.length)} of ${String(s.attributes.length)} source attributes are missing: ${s.missing.map((m) => m.label).join(', ')}.`;
  return {
    title: `Source attributes (ONC HTI-1, ${kind} decision support) — ${s.missing.length === 0 ? 'all answered' : `${String(s.missing.length)} missing`}`,
    missingNote,
    groups,
  };
}
