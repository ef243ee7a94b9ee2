/**
 * The validated pharmacogenomics data files, compiled once into lookups, with the checks that span
 * files (a guideline naming a gene or phenotype the gene tables do not define, an unknown alternative).
 * Pure and browser-safe: the caller parses the JSON (Node: src/services/pgx/load.ts; the side app: Vite
 * JSON imports) and hands the parsed files here.
 */
import { escapeRegExp } from '../features/text.js';
import type {
  BindingsFile,
  CardsFile,
  DrugsFile,
  GenesFile,
  GeneTable,
  Guideline,
  GuidelinesFile,
} from './schema.js';

export interface PgxFiles {
  genes: GenesFile;
  guidelines: GuidelinesFile;
  drugs: DrugsFile;
  bindings: BindingsFile;
  cards: CardsFile;
}

export interface PgxTables {
  files: PgxFiles;
  /** Gene symbol → table. */
  genes: ReadonlyMap<string, GeneTable>;
  /** Drug id → guideline. */
  guidelines: ReadonlyMap<string, Guideline>;
  /** RxNorm code (ingredient or SCD/SBD) → drug id. */
  drugByCode: ReadonlyMap<string, string>;
  /** Drug id → its name as a whole word in lower-case text, for the display-text fallback. */
  drugNamePatterns: ReadonlyMap<string, RegExp>;
  alternatives: ReadonlyMap<string, DrugsFile['alternatives'][number]>;
  /** LOINC answer code → phenotype id. */
  answers: ReadonlyMap<string, string>;
}

export class PgxDataError extends Error {
  override name = 'PgxDataError';
}

/** Compiles the files; throws PgxDataError naming the file and field of every cross-file problem. */
export function compileTables(files: PgxFiles): PgxTables {
  const genes = new Map(files.genes.genes.map((g) => [g.symbol, g] as const));
  const alternatives = new Map(files.drugs.alternatives.map((a) => [a.id, a] as const));
  const drugIds = new Set(files.drugs.drugs.map((d) => d.id));
  const answers = new Map(files.bindings.answers.map((a) => [a.code, a.phenotype] as const));
  const answerIds = new Set(answers.values());
  const problems: string[] = [];
  files.guidelines.guidelines.forEach((g, i) => {
    const at = `guidelines.json: guidelines[${String(i)}]`;
    if (!drugIds.has(g.drug)) problems.push(`${at}.drug: "${g.drug}" is not in drugs.json`);
    g.genes.forEach((s, j) => {
      if (!genes.has(s)) problems.push(`${at}.genes[${String(j)}]: "${s}" is not in genes.json`);
    });
    g.rows.forEach((r, k) => {
      for (const [symbol, ids] of Object.entries(r.when)) {
        const table = genes.get(symbol);
        if (table === undefined || !g.genes.includes(symbol)) {
          problems.push(`${at}.rows[${String(k)}].when.${symbol}: not one of the guideline's genes`);
          continue;
        }
        // A row may name a gene-table phenotype or one reported only as a LOINC answer (bindings.json).
        const known = new Set([...table.phenotypes.map((p) => p.id), ...answerIds]);
        for (const p of ids)
          if (!known.has(p))
            problems.push(`${at}.rows[${String(k)}].when.${symbol}: unknown phenotype "${p}"`);
      }
      if (r.action?.kind === 'replace')
        r.action.alternatives.forEach((a, m) => {
          if (!alternatives.has(a))
            problems.push(
              `${at}.rows[${String(k)}].action.alternatives[${String(m)}]: "${a}" is not in drugs.json`,
            );
        });
    });
  });
  if (problems.length > 0) throw new PgxDataError(problems.join('\n'));
  const drugByCode = new Map<string, string>();
  const byIngredient = new Map(files.drugs.drugs.map((d) => [d.ingredient, d.id] as const));
  for (const d of files.drugs.drugs) drugByCode.set(d.ingredient, d.id);
  for (const p of files.drugs.products) {
    const drug = byIngredient.get(p.ingredient);
    if (drug !== undefined) drugByCode.set(p.code, drug);
  }
  return {
    files,
    genes,
    guidelines: new Map(files.guidelines.guidelines.map((g) => [g.drug, g] as const)),
    drugByCode,
    drugNamePatterns: new Map(
      files.drugs.drugs.map(
        (d) => [d.id, new RegExp(`(^|[^a-z])${escapeRegExp(d.name.toLowerCase())}([^a-z]|$)`)] as const,
      ),
    ),
    alternatives,
    answers,
  };
}
