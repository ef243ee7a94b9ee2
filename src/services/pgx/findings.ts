/** The stored chain behind a PGx card: gene → diplotype → phenotype → recommendation, with source and date. */
import type { Finding } from '../../pgx/recommend.js';

export interface FindingChain {
  drug: string;
  orderRef?: string;
  kind: Finding['kind'];
  genes: {
    gene: string;
    status: string;
    diplotype?: string;
    activityScore?: number;
    phenotype?: string;
    label?: string;
    basis?: string;
    source?: string;
    date?: string;
    warnings: string[];
  }[];
  recommendation?: string;
  strength?: string;
  guideline: { citation: string; version: string; date: string; url?: string };
}

export function chainOf(f: Finding, orderRef?: string): FindingChain {
  const row = f.kind === 'actionable' || f.kind === 'normal' ? f.row : undefined;
  return {
    drug: f.drug,
    ...(orderRef === undefined ? {} : { orderRef }),
    kind: f.kind,
    genes: f.genes.map((s) =>
      s.status === 'known'
        ? {
            gene: s.gene,
            status: s.status,
            phenotype: s.phenotype,
            label: s.label,
            basis: s.basis,
            warnings: s.warnings,
            ...(s.diplotype === undefined ? {} : { diplotype: s.diplotype }),
            ...(s.activityScore === undefined ? {} : { activityScore: s.activityScore }),
            ...(s.source === undefined ? {} : { source: s.source }),
            ...(s.date === undefined ? {} : { date: s.date }),
          }
        : { gene: s.gene, status: s.status, warnings: s.warnings },
    ),
    ...(row === undefined ? {} : { recommendation: row.recommendation, strength: row.strength }),
    guideline: {
      citation: f.guideline.citation.text,
      version: f.guideline.guidelineVersion,
      date: f.guideline.guidelineDate,
      ...(f.guideline.citation.url === undefined ? {} : { url: f.guideline.citation.url }),
    },
  };
}
