/** Gene identification and diplotype parsing for genotype Observations (see genotype.ts). */
import { escapeRegExp } from './text.js';
import type { Observation } from 'fhir/r4.js';
import { SYSTEMS } from './systems.js';

/**
 * HGNC ids (pgx.md): CYP2C19 2621, CYP2C9 2623, CYP2D6 2625, VKORC1 23663, SLCO1B1 10959, TPMT 12014,
 * NUDT15 23063; DPYD 3012 and HLA-B 4932 (checked against the HL7 Genomics Reporting IG examples and
 * HGNC-derived gene lists, see cards/pgx/genes.json).
 */
const HGNC: Readonly<Record<string, string>> = {
  'HGNC:2621': 'CYP2C19',
  'HGNC:2623': 'CYP2C9',
  'HGNC:2625': 'CYP2D6',
  'HGNC:23663': 'VKORC1',
  'HGNC:10959': 'SLCO1B1',
  'HGNC:12014': 'TPMT',
  'HGNC:23063': 'NUDT15',
  'HGNC:3012': 'DPYD',
  'HGNC:4932': 'HLA-B',
};
/** Gene symbols Augur reads, longest first (so CYP2C19 is not taken for CYP2C9 + "1"). */
export const GENE_SYMBOLS = [...new Set(Object.values(HGNC))].sort((a, b) => b.length - a.length);
const SYMBOLS = GENE_SYMBOLS;

/** CPIC-specific phenotype LOINC codes (pgx.md, legacy shape): 79716-7 CYP2C9, 79713-4 TPMT. */
export const PHENOTYPE_CODES = new Set([`${SYSTEMS.loinc}|79716-7`, `${SYSTEMS.loinc}|79713-4`]);
const PHENOTYPE_GENE: Readonly<Record<string, string>> = { '79716-7': 'CYP2C9', '79713-4': 'TPMT' };

/** LOINC answer codes for phenotypes (pgx.md). */
export const PHENOTYPE_ANSWERS: Readonly<Record<string, string>> = {
  'LA10315-2': 'ultrarapid metabolizer',
  'LA25390-8': 'rapid metabolizer',
  'LA25391-6': 'normal metabolizer',
  'LA10317-8': 'intermediate metabolizer',
  'LA9657-3': 'poor metabolizer',
  'LA25392-4': 'increased function',
  'LA25393-2': 'normal function',
  'LA25395-7': 'decreased function',
  'LA25394-0': 'poor function',
};

/**
 * LOINC 53040-2 "Genetic variation's effect on drug metabolism": the component carrying the phenotype
 * in Genomics Reporting IG therapeutic-implication Observations (and some legacy results).
 */
export const METABOLISM_EFFECT = '53040-2';

/** LOINC 48018-6 "Gene studied [ID]": the component naming the gene. */
const GENE_STUDIED = '48018-6';

/** The gene symbol named in a text: an HGNC id, rs9923231 (VKORC1), or a symbol as a whole word. */
export const symbolIn = (text: string | undefined): string | undefined => {
  if (text === undefined) return undefined;
  const upper = text.toUpperCase();
  const hgnc = /HGNC:\d+/.exec(upper)?.[0];
  if (hgnc !== undefined && HGNC[hgnc] !== undefined) return HGNC[hgnc];
  if (/RS9923231/.test(upper)) return 'VKORC1';
  return SYMBOLS.find((s) => new RegExp(`(^|[^A-Z0-9])${escapeRegExp(s)}([^A-Z0-9]|$)`).test(upper));
};

/** The gene symbol an Observation is about: its gene component, else its value text, else its code. */
export function geneOf(o: Observation): string | undefined {
  const component = (o.component ?? []).find((c) => c.code.coding?.some((x) => x.code === GENE_STUDIED));
  const cc = component?.valueCodeableConcept;
  const fromComponent = [...(cc?.coding ?? []).flatMap((c) => [c.code, c.display]), cc?.text]
    .map(symbolIn)
    .find((s) => s !== undefined);
  if (fromComponent !== undefined) return fromComponent;
  const value = o.valueCodeableConcept;
  const texts = [...(value?.coding ?? []).flatMap((c) => [c.code, c.display]), value?.text, o.valueString];
  const fromValue = texts.map(symbolIn).find((s) => s !== undefined);
  if (fromValue !== undefined) return fromValue;
  const code = o.code.coding?.find(
    (c) => c.system === SYSTEMS.loinc && c.code !== undefined && c.code in PHENOTYPE_GENE,
  );
  if (code?.code !== undefined) return PHENOTYPE_GENE[code.code];
  // Last resort: the observation's own name, e.g. "CYP2C19 gene product metabolic activity interpretation".
  return [o.code.text, ...(o.code.coding ?? []).map((c) => c.display)]
    .map(symbolIn)
    .find((s) => s !== undefined);
}

/**
 * The two alleles of a diplotype text, gene symbols removed: "CYP2C19 *1/*17" → ["*1", "*17"],
 * "DPYD c.1905+1G>A/Reference" → ["c.1905+1G>A", "Reference"], "HLA-B*57:01/HLA-B*07:02" →
 * ["*57:01", "*07:02"]. Undefined unless the text is exactly two alleles around one "/".
 */
export function splitDiplotype(text: string): [string, string] | undefined {
  const stripped = text.replace(new RegExp(SYMBOLS.map(escapeRegExp).join('|'), 'gi'), ' ');
  const parts = stripped.split('/').map((p) => p.trim());
  if (parts.length !== 2) return undefined;
  const [a = '', b = ''] = parts;
  if (a === '' || b === '' || /\s/.test(a) || /\s/.test(b)) return undefined;
  return [a, b];
}

/** "*1/*3", "CYP2C9 *3/*1", "CYP2C9*1/CYP2C9*3" → "*1/*3"; anything else (duplications, sub-alleles, one or three alleles) → undefined. */
export function parseStarDiplotype(text: string): string | undefined {
  const stripped = text.replace(new RegExp(SYMBOLS.join('|'), 'gi'), ' ');
  if (!/^[\s*\d/]+$/.test(stripped)) return undefined;
  const alleles = [...stripped.matchAll(/\*(\d+)/g)].map((m) => Number(m[1]));
  if (alleles.length !== 2 || stripped.split('/').length !== 2) return undefined;
  const [a = 0, b = 0] = alleles.sort((x, y) => x - y);
  return `*${a}/*${b}`;
}

/**
 * VKORC1 rs9923231 (c.−1639G>A; A = low-dose allele). Genomic (+ strand) reports write it C>T
 * (NC_000016.10:g.31096368C>T ≡ NM_024006.4:c.-1639G>A, ClinVar RCV000002295), so C→G and T→A.
 * Returns "G/G", "A/G" or "A/A".
 */
export function parseVkorc1(text: string): string | undefined {
  const stripped = text
    .replace(/c\.\s*-\s*1639\s*G\s*>\s*A/gi, ' ')
    .replace(/-\s*1639\s*G\s*>\s*A/gi, ' ')
    .replace(/rs9923231|VKORC1|-1639|3673/gi, ' ')
    .replace(/[():,]/g, ' ')
    .trim();
  const m = /^([ACGT])\s*[/|]?\s*([ACGT])$/i.exec(stripped);
  if (m === null) return undefined;
  const genomic = { C: 'G', T: 'A', G: 'G', A: 'A' } as const;
  const raw = [m[1], m[2]].map((x) => x?.toUpperCase() ?? '');
  const alphabet = raw.every((x) => x === 'C' || x === 'T')
    ? 'genomic'
    : raw.every((x) => x === 'G' || x === 'A')
      ? 'coding'
      : undefined;
  if (alphabet === undefined) return undefined;
  const alleles = raw.map((x) => genomic[x as keyof typeof genomic]).sort();
  return alleles.join('/');
}

export function diplotypeParser(symbol: string): (text: string) => string | undefined {
  return symbol === 'VKORC1' ? parseVkorc1 : parseStarDiplotype;
}
