/**
 * What is on file for a gene, interpreted: the newest result that can be read (a genotype through the
 * CPIC table, else an LA-coded phenotype), with warnings for newer results that could not be read and
 * for results that disagree. Nothing readable: `uninterpretable` (with why) or `untested` — never a
 * normal phenotype by default.
 */
import type { FhirResource } from 'fhir/r4.js';
import { geneResults, type GeneResult } from '../features/genotype.js';
import { interpretGenotype } from './phenotype.js';
import type { PgxTables } from './tables.js';

export interface KnownGene {
  status: 'known';
  gene: string;
  phenotype: string;
  /** Human label of the phenotype, e.g. "poor metabolizer". */
  label: string;
  diplotype?: string;
  activityScore?: number;
  /** `genotype`: a diplotype read through the CPIC table; `phenotype`: a reported (LA-coded) phenotype. */
  basis: 'genotype' | 'phenotype';
  source?: string;
  date?: string;
  warnings: string[];
}

export type GeneStatus =
  | KnownGene
  | { status: 'uninterpretable'; gene: string; warnings: string[]; sources: string[] }
  | { status: 'untested'; gene: string; warnings: string[] };

export function phenotypeLabel(tables: PgxTables, gene: string, phenotype: string): string {
  const table = tables.genes.get(gene);
  const fromTable = table?.phenotypes.find((p) => p.id === phenotype)?.label;
  return fromTable ?? phenotype.replace(/-/g, ' ');
}

function read(tables: PgxTables, r: GeneResult): KnownGene | { reason: string } {
  const table = tables.genes.get(r.gene);
  if (table === undefined) return { reason: `${r.gene} has no CPIC table in Augur` };
  const base = {
    status: 'known' as const,
    gene: r.gene,
    ...(r.source === undefined ? {} : { source: r.source }),
    ...(r.date === undefined ? {} : { date: r.date }),
    warnings: [],
  };
  if (r.kind === 'phenotype') {
    const phenotype = r.answer === undefined ? undefined : tables.answers.get(r.answer);
    if (phenotype === undefined)
      return { reason: `phenotype "${r.texts.join(' | ') || 'no value'}" is not a recognised LOINC answer` };
    return { ...base, phenotype, label: phenotypeLabel(tables, r.gene, phenotype), basis: 'phenotype' };
  }
  const reasons: string[] = [];
  for (const text of r.texts) {
    const i = interpretGenotype(table, text, tables.files.bindings.presence);
    if (i.ok)
      return {
        ...base,
        phenotype: i.value.phenotype,
        label: phenotypeLabel(tables, r.gene, i.value.phenotype),
        diplotype: i.value.diplotype,
        ...(i.value.activityScore === undefined ? {} : { activityScore: i.value.activityScore }),
        basis: 'genotype',
      };
    reasons.push(i.reason);
  }
  return { reason: reasons[0] ?? 'no value' };
}

/** The interpreted status of `gene` for this patient. */
export function geneStatus(tables: PgxTables, gene: string, resources: readonly FhirResource[]): GeneStatus {
  const results = geneResults(gene, resources);
  if (results.length === 0) return { status: 'untested', gene, warnings: [] };
  const unreadable: string[] = [];
  const known: KnownGene[] = [];
  for (const r of results) {
    const k = read(tables, r);
    if ('reason' in k) {
      if (known.length === 0)
        unreadable.push(`${r.source ?? 'Observation'} (${r.date ?? 'undated'}): ${k.reason}`);
    } else known.push(k);
  }
  const [first] = known;
  if (first === undefined)
    return {
      status: 'uninterpretable',
      gene,
      warnings: unreadable.map((u) => `${gene} result not interpretable — ${u}`),
      sources: results.flatMap((r) => (r.source === undefined ? [] : [r.source])),
    };
  const warnings = unreadable.map((u) => `a newer ${gene} result could not be interpreted — ${u}`);
  const conflicting = known.filter((k) => k.phenotype !== first.phenotype);
  if (conflicting.length > 0)
    warnings.push(
      `${gene} results disagree: ${conflicting.map((k) => `${k.label} (${k.source ?? 'Observation'}, ${k.date ?? 'undated'})`).join('; ')} — the newest is used`,
    );
  return { ...first, warnings };
}
