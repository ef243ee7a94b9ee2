/**
 * The card's indicator and the inputs the card read that Augur calculated itself, for the "From the
 * card you opened" section. The badge follows the one indicator policy (cards/indicator-policy.json,
 * read through src/cards/indicator-policy.ts): the level's words come from labels.json and its reason
 * from the policy, so the app and every service say the same thing. A calculated input (e.g. LDL-C by
 * Sampson/NIH, flag `derived`) is shown with how it was calculated, from which results and when.
 */
import { INDICATOR_POLICY } from '../../../../src/cards/indicator-policy.js';
import { describeInput, undated } from '../../../../src/cards/format.js';
import type { InputProvenance } from '../../../../src/features/types.js';
import { h } from '../dom.js';
import { dateText } from '../format.js';
import { LABELS } from '../labels.js';

/** "⚠ warning — a recommended action the card carries", with the policy's rationale as its title. */
export function indicatorBadge(indicator: string): HTMLElement {
  const words = LABELS.indicators[indicator];
  const level = INDICATOR_POLICY.levels.find((l) => l.indicator === indicator);
  return h(
    'p',
    {
      class: `card-indicator indicator-${indicator}`,
      'data-indicator': indicator,
      title: level?.rationale,
    },
    h('span', { class: 'indicator-symbol', 'aria-hidden': 'true' }, `${words?.symbol ?? '?'} `),
    h('span', { class: 'indicator-words' }, words?.words ?? indicator),
    words === undefined ? '' : ` — ${words.means}`,
  );
}

const isProvenance = (v: unknown): v is InputProvenance =>
  typeof v === 'object' && v !== null && 'value' in v && Array.isArray((v as { flags?: unknown }).flags);

/** The stored findings' supporting inputs (the cardiovascular service's shape), if any. */
function supportingInputs(findings: unknown): Record<string, InputProvenance> {
  const s = (findings as { supportingInputs?: unknown } | undefined)?.supportingInputs;
  if (typeof s !== 'object' || s === null) return {};
  const out: Record<string, InputProvenance> = {};
  for (const [name, p] of Object.entries(s)) if (isProvenance(p)) out[name] = p;
  return out;
}

/**
 * The card's inputs Augur calculated (flag `derived`), each with the derivation's words and its note
 * ("calculated by Augur (Sampson/NIH) from total cholesterol 240 mg/dL (Observation/…, 2026-09-01), …").
 */
export function calculatedInputs(findings: unknown): HTMLElement | '' {
  const derived = Object.entries(supportingInputs(findings)).filter(
    ([, p]) => p.flags.includes('derived') && p.value !== null,
  );
  if (derived.length === 0) return '';
  return h(
    'ul',
    { class: 'calculated-inputs' },
    derived.map(([name, p]) => {
      const how = Object.values(LABELS.derivations).find((w) => p.note?.startsWith(w) === true);
      const sources = p.note?.split('; ')[0] ?? '';
      return h(
        'li',
        { 'data-input': name, 'data-flag': 'derived' },
        h(
          'span',
          { class: 'flag-symbol', 'aria-hidden': 'true' },
          `${LABELS.flags['derived']?.symbol ?? 'ƒ'} `,
        ),
        h('strong', {}, `${LABELS.inputs[name] ?? name} ${describeInput(undated(p))}`),
        h('span', { class: 'calculated-how' }, ` — ${how ?? LABELS.flags['derived']?.words ?? 'calculated'}`),
        sources === ''
          ? ''
          : h(
              'span',
              { class: 'calculated-from' },
              // One date format in the app: the note's ISO dates in the user's locale.
              ` (${sources
                .replace(/^calculated by Augur \([^)]*\) /, '')
                .replace(/\d{4}-\d{2}-\d{2}/g, (iso) => dateText(iso))})`,
            ),
      );
    }),
  );
}
