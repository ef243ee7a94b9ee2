/**
 * Pharmacogenomic findings, computed live from the patient's genomic Observations with the CPIC tables
 * (pgx-view.ts): each gene on file (genotype → phenotype, or "not interpretable" — never shown as
 * normal), and each active or draft medication with a CPIC guideline (→ recommendation, strength,
 * guideline link). Opened from a PGx card, the card's stored findings come first, in the same form.
 */
import type { FhirResource } from 'fhir/r4.js';
import { h, srOnly, type Child } from '../dom.js';
import { dateText } from '../format.js';
import { pgxTables } from '../pgx-tables.js';
import { pgxView, type DrugView, type FindingChain, type GeneView, type StoredPgx } from '../pgx-view.js';

const KIND_WORDS: Readonly<Record<FindingChain['kind'], { symbol: string; words: string }>> = {
  actionable: { symbol: '▲', words: 'Action recommended' },
  normal: { symbol: '•', words: 'No change flagged — see the recommendation' },
  untested: { symbol: '○', words: 'No result on file for this drug’s gene(s)' },
  uninterpretable: { symbol: '?', words: 'Result not interpretable — not treated as normal' },
};

function strengthText(strength: string | undefined): string {
  if (strength === undefined) return '';
  const words = pgxTables().files.cards.strengthWords;
  return strength in words ? words[strength as keyof typeof words] : strength;
}

const meta = (date: string | undefined, source: string | undefined): string =>
  [date === undefined ? undefined : dateText(date), source].filter((x) => x !== undefined).join(' · ');

/** "CYP2C19 *1/*2 → intermediate metabolizer (activity score 1)"; a screen reader hears "means" for the arrow. */
function genotypeToPhenotype(
  gene: string,
  diplotype: string | undefined,
  phenotype: string,
  activityScore: number | undefined,
): Child[] {
  const score = activityScore === undefined ? '' : ` (activity score ${String(activityScore)})`;
  return [
    h('strong', {}, gene),
    ' ',
    diplotype ?? 'reported phenotype',
    h('span', { 'aria-hidden': 'true' }, ' → '),
    srOnly(' means '),
    h('strong', { class: 'phenotype' }, `${phenotype}${score}`),
  ];
}

function geneStep(g: FindingChain['genes'][number]): HTMLElement {
  if (g.status !== 'known')
    return h(
      'li',
      { 'data-gene': g.gene, 'data-status': g.status },
      h('strong', {}, g.gene),
      g.status === 'untested' ? ': no result on file' : ': result on file could not be interpreted',
    );
  const m = meta(g.date, g.source);
  return h(
    'li',
    { 'data-gene': g.gene, 'data-status': g.status },
    genotypeToPhenotype(g.gene, g.diplotype, g.label ?? g.phenotype ?? '', g.activityScore),
    m === '' ? '' : h('span', { class: 'meta' }, ` (${m})`),
  );
}

function chainItem(chain: FindingChain, about?: DrugView): HTMLElement {
  const k = KIND_WORDS[chain.kind];
  const link = chain.guideline.url;
  const orderLine =
    about === undefined
      ? ''
      : h(
          'p',
          { class: 'meta' },
          `${about.ordered} — ${about.use}${about.source === undefined ? '' : ` (${about.source})`}`,
          about.byText ? '; matched by drug name, not by code' : '',
        );
  return h(
    'li',
    { class: `pgx-finding pgx-${chain.kind}`, 'data-drug': chain.drug, 'data-kind': chain.kind },
    h(
      'p',
      { class: 'pgx-head' },
      h('strong', { class: 'drug' }, chain.drug),
      ' — ',
      h('span', { class: 'pgx-kind' }, h('span', { 'aria-hidden': 'true' }, `${k.symbol} `), k.words),
    ),
    orderLine,
    h('ol', { class: 'chain', 'aria-label': 'Genotype to phenotype' }, chain.genes.map(geneStep)),
    chain.recommendation === undefined
      ? ''
      : h(
          'p',
          { class: 'recommendation' },
          h('strong', {}, 'CPIC recommendation: '),
          chain.recommendation,
          chain.strength === undefined ? '' : ` (strength: ${strengthText(chain.strength)})`,
        ),
    h(
      'p',
      { class: 'guideline' },
      link === undefined
        ? chain.guideline.citation
        : h('a', { href: link, rel: 'noopener noreferrer', target: '_blank' }, chain.guideline.citation),
      ` — ${chain.guideline.version}, ${chain.guideline.date}`,
    ),
    warningList(chain.genes.flatMap((g) => g.warnings)),
  );
}

function warningList(warnings: readonly string[]): HTMLElement | string {
  const unique = [...new Set(warnings)];
  if (unique.length === 0) return '';
  return h(
    'ul',
    { class: 'flags' },
    unique.map((w) => h('li', { class: 'flag flag-warning' }, h('span', { 'aria-hidden': 'true' }, '⚠ '), w)),
  );
}

function geneItem(g: GeneView): HTMLElement {
  const s = g.status;
  const item = (...children: Child[]): HTMLLIElement =>
    h(
      'li',
      { class: 'pgx-gene', 'data-gene': g.gene, 'data-status': s.status },
      ...children,
      g.guidelineDrugs.length === 0
        ? h('p', { class: 'meta' }, 'No CPIC guideline in Augur uses this gene.')
        : h('p', { class: 'meta' }, `CPIC guidelines in Augur: ${g.guidelineDrugs.join(', ')}`),
      warningList(s.warnings),
    );
  if (s.status === 'known') {
    const m = meta(s.date, s.source);
    return item(
      h('p', {}, genotypeToPhenotype(g.gene, s.diplotype, s.label, s.activityScore)),
      h(
        'p',
        { class: 'meta' },
        (s.basis === 'genotype'
          ? 'Genotype read through the CPIC table'
          : 'Phenotype as reported by the lab') + (m === '' ? '' : ` · ${m}`),
      ),
    );
  }
  return item(
    h(
      'p',
      {},
      h('strong', {}, g.gene),
      ' ',
      h(
        'span',
        { class: 'pgx-kind' },
        h('span', { 'aria-hidden': 'true' }, '? '),
        'Not interpretable — not treated as normal',
      ),
    ),
    s.status === 'uninterpretable' && s.sources.length > 0
      ? h('p', { class: 'meta' }, s.sources.join(' · '))
      : '',
  );
}

export function pgxSection(resources: readonly FhirResource[], stored: StoredPgx | undefined): HTMLElement {
  const view = pgxView(pgxTables(), resources);
  return h(
    'section',
    { class: 'pgx', id: 'pgx', 'aria-labelledby': 'pgx-h' },
    h('h2', { id: 'pgx-h' }, 'Pharmacogenomics (CPIC)'),
    stored === undefined
      ? ''
      : h(
          'div',
          { class: 'pgx-stored', id: 'pgx-from-card' },
          h('h3', {}, 'As the card computed it'),
          h(
            'ul',
            { class: 'pgx-findings' },
            stored.chains.map((c) => chainItem(c)),
          ),
          stored.unreadable === 0
            ? ''
            : h(
                'p',
                { class: 'attention' },
                `${String(stored.unreadable)} stored finding(s) could not be read; the live findings below are computed from the record.`,
              ),
        ),
    h('h3', {}, 'Current medications with a CPIC guideline (computed now)'),
    view.drugs.length === 0
      ? h('p', { class: 'muted' }, 'No active or draft medication has a CPIC guideline in Augur’s tables.')
      : h(
          'ul',
          { class: 'pgx-findings', 'data-live': 'true' },
          view.drugs.map((d) => chainItem(d.chain, d)),
        ),
    h('h3', {}, 'Results on file'),
    view.genes.length === 0
      ? h('p', { class: 'muted' }, 'No pharmacogenomic results on file.')
      : h('ul', { class: 'pgx-genes' }, view.genes.map(geneItem)),
  );
}
