/**
 * Pharmacogenomic results on file: gene, diplotype, phenotype, date and source — read with the
 * features module's genotype parser. When the app was opened from a PGx card, the card's stored
 * findings (genotype → phenotype → recommendation, guideline link) are shown as the card computed them.
 */
import type { Observation } from 'fhir/r4.js';
import { observationDateText } from '../../../../src/features/dates.js';
import { geneOf, PHENOTYPE_ANSWERS } from '../../../../src/features/genotype-parse.js';
import { resolveGenotype } from '../../../../src/features/genotype.js';
import type { FhirResource } from '../../../../src/features/types.js';
import { h } from '../dom.js';
import { dateText } from '../format.js';

interface GeneRow {
  gene: string;
  diplotype: string | null;
  phenotype: string | undefined;
  date: string | undefined;
  source: string | undefined;
  note: string | undefined;
}

const isObservation = (r: FhirResource): r is Observation => r.resourceType === 'Observation';

export function geneRows(resources: readonly FhirResource[]): GeneRow[] {
  const observations = resources.filter(isObservation);
  const genes = [...new Set(observations.flatMap((o) => geneOf(o) ?? []))].sort();
  return genes.map((gene) => {
    const r = resolveGenotype(gene, resources);
    const phenotypeObs = observations
      .filter((o) => geneOf(o) === gene)
      .find((o) =>
        o.valueCodeableConcept?.coding?.some((c) => c.code !== undefined && c.code in PHENOTYPE_ANSWERS),
      );
    const code = phenotypeObs?.valueCodeableConcept?.coding?.find(
      (c) => c.code !== undefined && c.code in PHENOTYPE_ANSWERS,
    )?.code;
    const phenotype = code === undefined ? undefined : PHENOTYPE_ANSWERS[code];
    const date = r.date ?? (phenotypeObs === undefined ? undefined : observationDateText(phenotypeObs));
    const source =
      r.source ?? (phenotypeObs?.id === undefined ? undefined : `Observation/${phenotypeObs.id}`);
    return {
      gene,
      diplotype: typeof r.value === 'string' ? r.value : null,
      phenotype,
      date,
      source,
      note: r.notes.length === 0 ? undefined : r.notes.join('; '),
    };
  });
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Stored findings, read defensively (the payload's `findings` is service-specific). */
function findingItems(findings: unknown): HTMLElement[] {
  const list: unknown[] = Array.isArray(findings)
    ? findings
    : isRecord(findings) && Array.isArray(findings['findings'])
      ? findings['findings']
      : [];
  return list.filter(isRecord).map((f) => {
    const chain = [
      str(f['gene']),
      str(f['diplotype']) ?? str(f['genotype']),
      str(f['phenotype']),
      str(f['drug']),
    ].filter((x): x is string => x !== undefined);
    const guideline = isRecord(f['guideline'])
      ? f['guideline']
      : isRecord(f['citation'])
        ? f['citation']
        : undefined;
    const url = str(guideline?.['url']);
    return h(
      'li',
      {},
      h('span', { class: 'chain' }, chain.join(' → ')),
      str(f['recommendation']) === undefined
        ? ''
        : h(
            'p',
            {},
            h('strong', {}, 'Recommendation: '),
            str(f['recommendation']) ?? '',
            str(f['strength']) === undefined ? '' : ` (${str(f['strength']) ?? ''})`,
          ),
      url === undefined
        ? ''
        : h(
            'a',
            { href: url, rel: 'noopener noreferrer', target: '_blank' },
            str(guideline?.['text']) ?? 'Guideline',
          ),
    );
  });
}

export function pgxSection(resources: readonly FhirResource[], storedFindings: unknown): HTMLElement {
  const rows = geneRows(resources);
  const findings = findingItems(storedFindings);
  return h(
    'section',
    { class: 'pgx', id: 'pgx', 'aria-labelledby': 'pgx-h' },
    h('h2', { id: 'pgx-h' }, 'Pharmacogenomic results'),
    findings.length === 0
      ? ''
      : [h('h3', {}, 'From the card you opened'), h('ul', { class: 'findings' }, findings)],
    rows.length === 0
      ? h('p', { class: 'muted' }, 'No pharmacogenomic results on file.')
      : h(
          'table',
          { class: 'pgx-table' },
          h('caption', {}, 'Genotype and phenotype results on file'),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['Gene', 'Result', 'Phenotype', 'Date', 'Source'].map((t) => h('th', { scope: 'col' }, t)),
            ),
          ),
          h(
            'tbody',
            {},
            rows.map((r) =>
              h(
                'tr',
                { 'data-gene': r.gene },
                h('th', { scope: 'row', 'data-label': 'Gene' }, r.gene),
                h(
                  'td',
                  { 'data-label': 'Result' },
                  r.diplotype ?? 'no diplotype',
                  r.note === undefined ? '' : h('p', { class: 'note' }, r.note),
                ),
                h('td', { 'data-label': 'Phenotype' }, r.phenotype ?? '—'),
                h('td', { 'data-label': 'Date' }, dateText(r.date) || '—'),
                h('td', { 'data-label': 'Source', class: 'source' }, r.source ?? '—'),
              ),
            ),
          ),
        ),
  );
}
