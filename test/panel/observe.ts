/**
 * What a response showed, in the index's terms (tools/panel/types.ts): per card its id, indicator, band
 * and PGx finding — read from the structured result the card stands on (its key and band, behind the
 * smart link's opaque id), never from the wording — and its suggestions as `<action> <type> <code>`.
 */
import type { Action, Card } from '../../src/cds/types.js';
import type { ResultPayload } from '../../src/cards/result.js';
import { cardIdOf } from '../../src/cards/card-id.js';
import type { Store } from '../../src/store/types.js';
import type { ExpectedCard, Expectation } from '../../tools/panel/types.js';

export interface SeenCard {
  card: string;
  indicator: string;
  band?: string;
  finding?: string;
  suggestions: string[];
  /** The card key as stored (for failure messages). */
  key: string;
}

const SHORT: Readonly<Record<string, string>> = {
  'http://www.nlm.nih.gov/research/umls/rxnorm': 'rxnorm',
  'http://loinc.org': 'loinc',
  'http://snomed.info/sct': 'snomed',
};

export function suggestionOf(a: Action): string {
  if (a.type === 'delete') return `delete ${a.resourceId?.split('/')[0] ?? '?'}`;
  const r = a.resource;
  if (r === undefined) return `${a.type} ?`;
  const coding =
    r.resourceType === 'MedicationRequest'
      ? r.medicationCodeableConcept?.coding?.[0]
      : r.resourceType === 'ServiceRequest'
        ? r.code?.coding?.[0]
        : undefined;
  const code =
    coding === undefined
      ? ''
      : ` ${SHORT[coding.system ?? ''] ?? coding.system ?? '?'}:${coding.code ?? '?'}`;
  return `${a.type} ${r.resourceType}${code}`;
}

/** `pgx:clopidogrel:CYP2C19=poor` → `CYP2C19=poor`; activity scores and the `|iwpc` tail dropped. */
export function findingOf(key: string): string | undefined {
  if (!key.startsWith('pgx:')) return undefined;
  const clean = key.replace(/@[\d.]+/g, '').replace(/\|.*$/, '');
  if (clean.startsWith('pgx:patient-view:'))
    return clean
      .slice('pgx:patient-view:'.length)
      .split(';')
      .map((f) => f.split(':').slice(2).join(':'))
      .join(';');
  return clean.split(':').slice(2).join(':');
}

export async function observe(store: Store, cards: readonly Card[], now: Date): Promise<SeenCard[]> {
  const seen: SeenCard[] = [];
  for (const c of cards) {
    const id = c.links?.find((l) => l.type === 'smart')?.appContext ?? '';
    const stored = await store.getResult(id, now);
    const payload = stored?.payload as ResultPayload | undefined;
    const key = payload?.card?.key ?? `(no stored result for card "${c.summary}")`;
    const band = payload?.card?.band;
    const finding = findingOf(key);
    seen.push({
      card: cardIdOf(key, payload?.findings),
      indicator: c.indicator,
      ...(band === undefined ? {} : { band }),
      ...(finding === undefined ? {} : { finding }),
      suggestions: (c.suggestions ?? []).flatMap((s) => (s.actions ?? []).map(suggestionOf)),
      key,
    });
  }
  return seen;
}

type Comparable = Pick<ExpectedCard, 'card' | 'band' | 'finding'> & { indicator: string };
const order = (a: Comparable, b: Comparable): number =>
  `${a.card}|${a.finding ?? ''}`.localeCompare(`${b.card}|${b.finding ?? ''}`);

/** A seen card in the comparable shape of an expected one (suggestions checked separately). */
export function comparable(c: SeenCard | ExpectedCard, patientView: boolean): Comparable {
  const finding = c.finding === undefined ? undefined : patientView ? undefined : c.finding;
  return {
    card: c.card,
    indicator: c.indicator,
    ...(c.band === undefined ? {} : { band: c.band }),
    ...(finding === undefined ? {} : { finding }),
  };
}

/** Differences between what was seen and what the index expects (empty: as expected). */
export function differences(seen: readonly SeenCard[], expected: Expectation): string[] {
  const problems: string[] = [];
  const pv = (c: { card: string }): boolean => c.card === 'pgx';
  const got = seen.map((c) => comparable(c, pv(c))).sort(order);
  const want = expected.cards.map((c) => comparable(c, pv(c))).sort(order);
  if (JSON.stringify(got) !== JSON.stringify(want))
    problems.push(
      `cards: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)} (keys ${seen.map((c) => c.key).join(', ') || 'none'})`,
    );
  for (const e of expected.cards) {
    const s = seen.find((c) => c.card === e.card && (pv(e) || c.finding === e.finding));
    if (s === undefined) continue;
    if (pv(e) && e.finding !== undefined && !(s.finding ?? '').split(';').includes(e.finding))
      problems.push(`${e.card}: finding ${e.finding} not among ${s.finding ?? 'none'}`);
    if (e.suggestions === undefined) continue;
    if (e.suggestions.length === 0 && s.suggestions.length > 0)
      problems.push(`${e.card}: expected no suggestion, got ${s.suggestions.join('; ')}`);
    for (const want1 of e.suggestions)
      if (!s.suggestions.includes(want1))
        problems.push(`${e.card}: no "${want1}" among ${s.suggestions.join('; ') || 'no suggestions'}`);
  }
  return problems;
}
