/**
 * Genes → CPIC recommendation for one drug: each gene's interpreted status, then the first guideline
 * row whose phenotypes (and activity scores, where the row names them) all match. No matching row:
 * the drug's genes were not tested, or a result could not be read — each its own finding.
 */
import type { FhirResource } from 'fhir/r4.js';
import { geneStatus, type GeneStatus, type KnownGene } from './results.js';
import type { Guideline, GuidelineRow } from './schema.js';
import type { PgxTables } from './tables.js';

interface FindingBase {
  drug: string;
  guideline: Guideline;
  /** Status of every gene the guideline uses, in its order. */
  genes: GeneStatus[];
  warnings: string[];
}

export type Finding =
  /** A CPIC row that asks for a change (or a caution) for this phenotype. */
  | (FindingBase & { kind: 'actionable'; row: GuidelineRow; matched: KnownGene[] })
  /** A CPIC row that keeps standard use: no card (unless warnings call for a review). */
  | (FindingBase & { kind: 'normal'; row: GuidelineRow; matched: KnownGene[] })
  /** No row applies because genes were not tested (and none could not be read). */
  | (FindingBase & { kind: 'untested'; missing: string[] })
  /** A result is on file but could not be interpreted, or its phenotype has no row for this drug. */
  | (FindingBase & { kind: 'uninterpretable'; reasons: string[] });

const isKnown = (s: GeneStatus): s is KnownGene => s.status === 'known';

function rowMatches(row: GuidelineRow, byGene: ReadonlyMap<string, GeneStatus>): KnownGene[] | undefined {
  const matched: KnownGene[] = [];
  for (const [gene, phenotypes] of Object.entries(row.when)) {
    const s = byGene.get(gene);
    if (s === undefined || !isKnown(s) || !phenotypes.includes(s.phenotype)) return undefined;
    const scores = row.scores?.[gene];
    if (scores !== undefined && (s.activityScore === undefined || !scores.includes(s.activityScore)))
      return undefined;
    matched.push(s);
  }
  return matched;
}

/** The finding for `drug` from the patient's resources (genomic Observations among them). */
export function recommend(
  tables: PgxTables,
  drug: string,
  resources: readonly FhirResource[],
): Finding | undefined {
  const guideline = tables.guidelines.get(drug);
  if (guideline === undefined) return undefined;
  const genes = guideline.genes.map((g) => geneStatus(tables, g, resources));
  return findingFor(guideline, genes);
}

/** The finding from already-interpreted gene statuses (also used by the side app). */
export function findingFor(guideline: Guideline, genes: GeneStatus[]): Finding {
  const byGene = new Map(genes.map((s) => [s.gene, s] as const));
  const warnings = genes.flatMap((s) => s.warnings);
  const base = { drug: guideline.drug, guideline, genes, warnings };
  for (const row of guideline.rows) {
    const matched = rowMatches(row, byGene);
    if (matched === undefined) continue;
    return { ...base, kind: row.actionable ? 'actionable' : 'normal', row, matched };
  }
  const unreadable = genes.filter((s) => s.status === 'uninterpretable');
  if (unreadable.length > 0)
    return { ...base, kind: 'uninterpretable', reasons: unreadable.flatMap((s) => s.warnings) };
  const missing = genes.filter((s) => s.status === 'untested').map((s) => s.gene);
  if (missing.length > 0) return { ...base, kind: 'untested', missing };
  const shown = genes.filter(isKnown).map((s) => `${s.gene} ${s.label}`);
  return {
    ...base,
    kind: 'uninterpretable',
    reasons: [
      `${shown.join(', ')}: no CPIC ${guideline.drug} recommendation for this phenotype in Augur's table`,
    ],
  };
}

/** The card key of a finding: per drug–gene finding, e.g. `pgx:clopidogrel:CYP2C19=poor`. */
export function findingKey(f: Finding): string {
  const genes = f.guideline.genes.join('+');
  switch (f.kind) {
    case 'actionable':
    case 'normal':
      return `pgx:${f.drug}:${f.matched.map((m) => `${m.gene}=${m.phenotype}${m.activityScore === undefined ? '' : `@${String(m.activityScore)}`}`).join(',')}`;
    case 'untested':
      return `pgx:${f.drug}:${genes}=untested`;
    case 'uninterpretable':
      return `pgx:${f.drug}:${genes}=uninterpretable`;
  }
}
