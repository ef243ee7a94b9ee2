/**
 * Genotype → phenotype with the CPIC gene tables (cards/pgx/genes.json): a diplotype's two alleles
 * → allele functions (function pairs: CYP2C19, SLCO1B1, TPMT, NUDT15) or activity values summed
 * (DPYD, CYP2D6, CYP2C9; CYP2D6 copy numbers multiply) → phenotype; HLA-B*57:01 presence; VKORC1
 * rs9923231. An allele outside the table or a text that is not a diplotype is an error with the reason,
 * never a normal phenotype.
 */
import { escapeRegExp } from '../features/text.js';
import { parseVkorc1, splitDiplotype } from '../features/genotype-parse.js';
import type { GeneTable } from './schema.js';

export interface Interpretation {
  /** Normalised diplotype as read, e.g. `*1/*17`, `c.1905+1G>A/Reference`. */
  diplotype: string;
  phenotype: string;
  /** Sum of allele activity values (activity-score genes). */
  activityScore?: number;
}

export type Interpreted = { ok: true; value: Interpretation } | { ok: false; reason: string };

const fail = (reason: string): Interpreted => ({ ok: false, reason });
const norm = (s: string): string => s.trim().toLowerCase().replace(/\s+/g, '');

/** Interprets a genotype text for `gene`. */
export function interpretGenotype(gene: GeneTable, text: string, presence?: PresenceWords): Interpreted {
  switch (gene.method) {
    case 'vkorc1': {
      const v = parseVkorc1(text);
      return v === undefined ? fail(`"${text}" is not an rs9923231 genotype`) : ok(v, v);
    }
    case 'carrier':
      return interpretCarrier(gene, text, presence);
    case 'function-pair':
      return interpretFunctionPair(gene, text);
    case 'activity-score':
      return interpretActivity(gene, text);
  }
}

const ok = (diplotype: string, phenotype: string, activityScore?: number): Interpreted => ({
  ok: true,
  value: { diplotype, phenotype, ...(activityScore === undefined ? {} : { activityScore }) },
});

function lookup<A extends { name: string; aliases?: string[] | undefined }>(
  alleles: readonly A[],
  token: string,
): A | undefined {
  const t = norm(token);
  return alleles.find((a) => [a.name, ...(a.aliases ?? [])].some((n) => norm(n) === t));
}

/** Sorted by the table's allele order, so `*17/*1` and `*1/*17` read the same. */
function ordered<A extends { name: string }>(alleles: readonly A[], pair: [A, A]): [A, A] {
  const [a, b] = pair;
  return alleles.indexOf(a) <= alleles.indexOf(b) ? [a, b] : [b, a];
}

function interpretFunctionPair(
  gene: Extract<GeneTable, { method: 'function-pair' }>,
  text: string,
): Interpreted {
  const split = splitDiplotype(text);
  if (split === undefined) return fail(`"${text}" is not a ${gene.symbol} diplotype (two alleles, one "/")`);
  const found = split.map((t) => lookup(gene.alleles, t));
  const [a, b] = found;
  if (a === undefined || b === undefined) {
    const unknown = split.filter((_t, i) => found[i] === undefined).join(', ');
    return fail(`${gene.symbol} allele ${unknown} is not in Augur's CPIC table`);
  }
  const [x, y] = ordered(gene.alleles, [a, b]);
  const match = gene.phenotypes.find((p) =>
    p.pairs.some(
      ([f, g]) => (f === x.function && g === y.function) || (f === y.function && g === x.function),
    ),
  );
  if (match === undefined)
    return fail(
      `${gene.symbol} ${x.name}/${y.name}: no CPIC phenotype for ${x.function} + ${y.function} function`,
    );
  return ok(`${x.name}/${y.name}`, match.id);
}

/** `*1x2`, `*2×3`: the allele and its copy number. `xN` (copies unknown) is undefined. */
function copies(token: string): { allele: string; n: number } {
  const m = /^(.+?)\s*[x×]\s*(\d+|n)$/i.exec(token.trim());
  if (m === null) return { allele: token, n: 1 };
  return { allele: m[1] ?? token, n: m[2]?.toLowerCase() === 'n' ? Number.NaN : Number(m[2]) };
}

function interpretActivity(
  gene: Extract<GeneTable, { method: 'activity-score' }>,
  text: string,
): Interpreted {
  const split = splitDiplotype(text);
  if (split === undefined) return fail(`"${text}" is not a ${gene.symbol} diplotype (two alleles, one "/")`);
  const parts = split.map((t) => (gene.duplications === true ? copies(t) : { allele: t, n: 1 }));
  const values: { name: string; n: number; activity: number }[] = [];
  for (const p of parts) {
    const allele = lookup(gene.alleles, p.allele);
    if (allele === undefined) return fail(`${gene.symbol} allele ${p.allele} is not in Augur's CPIC table`);
    // xN with an unknown count only matters for a functional allele.
    if (Number.isNaN(p.n) && allele.activity > 0)
      return fail(
        `${gene.symbol} ${p.allele}xN: copy number not reported, activity score cannot be computed`,
      );
    values.push({ name: allele.name, n: Number.isNaN(p.n) ? 2 : p.n, activity: allele.activity });
  }
  const score = values.reduce((s, v) => s + v.activity * v.n, 0);
  const match = gene.phenotypes.find((p) => score >= p.min && (p.max === undefined || score <= p.max));
  if (match === undefined)
    return fail(`${gene.symbol} activity score ${String(score)} has no CPIC phenotype`);
  const shown = values
    .map((v) => `${v.name}${v.n === 1 ? '' : `x${String(v.n)}`}`)
    .sort(
      (a, b) =>
        gene.alleles.findIndex((x) => a.startsWith(x.name)) -
        gene.alleles.findIndex((x) => b.startsWith(x.name)),
    )
    .join('/');
  return ok(shown, match.id, score);
}

export interface PresenceWords {
  positive: readonly string[];
  negative: readonly string[];
}

function interpretCarrier(
  gene: Extract<GeneTable, { method: 'carrier' }>,
  text: string,
  presence: PresenceWords | undefined,
): Interpreted {
  const target = gene.allele.slice(1); // "57:01"
  const [f1 = '', f2 = ''] = target.split(':');
  // The result word alone, once the gene and the allele are removed: "HLA-B*57:01 positive" → "positive".
  const word = norm(
    text
      .replace(new RegExp(escapeRegExp(gene.symbol), 'gi'), ' ')
      .replace(new RegExp(`\\*?\\s*${f1}\\s*:?\\s*${f2}(:\\d+)*`, 'g'), ' ')
      .replace(/[()[\],;:]/g, ' '),
  );
  if (presence?.negative.some((w) => norm(w) === word) === true)
    return ok(`${gene.symbol}${gene.allele} negative`, 'negative');
  if (presence?.positive.some((w) => norm(w) === word) === true)
    return ok(`${gene.symbol}${gene.allele} positive`, 'positive');
  const split = splitDiplotype(text);
  if (split === undefined)
    return fail(`"${text}" is neither an ${gene.symbol} genotype nor a positive/negative result`);
  const fields = split.map((a) => /^\*?(\d+):(\d+)/.exec(a.trim()));
  if (fields.some((f) => f === null))
    return fail(`"${text}": ${gene.symbol} alleles need two-field resolution (e.g. *57:01)`);
  const twoField = fields.map((f) => `${f?.[1] ?? ''}:${f?.[2] ?? ''}`);
  const carrier = twoField.includes(target);
  return ok(twoField.map((a) => `*${a}`).join('/'), carrier ? 'positive' : 'negative');
}
