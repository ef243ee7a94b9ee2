/**
 * Pharmacogenomic results in the shapes pgx.md lists ("Genotypes and phenotypes in FHIR"):
 * - Genomics Reporting IG: genotype Observation 84413-4 (genotype display name), value from PharmVar
 *   (e.g. "CYP2C9 *1/*3"), gene in component 48018-6 (HGNC); therapeutic implication with the
 *   phenotype in component 53040-2 (LA-coded), gene from its component or from the genotype it is
 *   derived from;
 * - legacy: SNOMED 363779003 (genotype determination) with valueString "*1/*3" and a gene component;
 * - phenotype only (e.g. 79716-7 CYP2C9 phenotype, LA-coded): usable for CPIC rules, not as a diplotype;
 * - HLA-B*57:01 presence results (positive / negative), read by the rules in src/pgx.
 * `geneResults` lists what is on file for a gene; `resolveGenotype` reads a diplotype for a model input.
 * A result that cannot be read is flagged `uninterpretable`, never mapped to a normal genotype.
 */
import type { Observation } from 'fhir/r4.js';
import { observationDateText, parseFhirDate } from './dates.js';
import {
  diplotypeParser,
  geneOf,
  METABOLISM_EFFECT,
  PHENOTYPE_ANSWERS,
  PHENOTYPE_CODES,
} from './genotype-parse.js';
import { SYSTEMS } from './systems.js';
import type { FhirResource, Resolved } from './types.js';
import { referenceOf, resolved } from './types.js';

/** Genotype observation codes (`system|code`): LOINC 84413-4 (IG STU3), SNOMED 363779003 (legacy); also the side app's FHIR query. */
export const GENOTYPE_CODES = new Set([`${SYSTEMS.loinc}|84413-4`, `${SYSTEMS.snomed}|363779003`]);
/** ObservationStatus values that count; entered-in-error and preliminary results do not. */
const USABLE_STATUS = new Set(['final', 'amended', 'corrected']);

const codesOf = (o: Observation): string[] =>
  (o.code.coding ?? []).map((c) => `${c.system ?? ''}|${c.code ?? ''}`);
const isGenotype = (o: Observation): boolean => codesOf(o).some((k) => GENOTYPE_CODES.has(k));

/** Texts a result may be written in: coded value (code, display, text) and valueString. */
function valueTexts(o: Observation): string[] {
  const cc = o.valueCodeableConcept;
  return [...(cc?.coding ?? []).flatMap((c) => [c.code, c.display]), cc?.text, o.valueString].filter(
    (t): t is string => t !== undefined && t.trim() !== '',
  );
}

/** One pharmacogenomic result on file for a gene, as written (interpretation is src/pgx's job). */
export interface GeneResult {
  gene: string;
  /** `genotype`: a diplotype or presence result to read; `phenotype`: an LA-coded phenotype. */
  kind: 'genotype' | 'phenotype';
  /** The value as written (coded value code/display/text, valueString). */
  texts: string[];
  /** LOINC answer code of the phenotype (value or 53040-2 component), e.g. `LA9657-3`. */
  answer?: string;
  /** `Observation/123`. */
  source?: string;
  /** effective[x] or issued, as written. */
  date?: string;
}

/** The LA phenotype answer of an Observation: its value, else its 53040-2 (or any LA-valued) component. */
function phenotypeAnswer(o: Observation): string | undefined {
  const inConcept = (cc: Observation['valueCodeableConcept']): string | undefined =>
    cc?.coding?.find((c) => c.code !== undefined && c.code in PHENOTYPE_ANSWERS)?.code;
  const fromValue = inConcept(o.valueCodeableConcept);
  if (fromValue !== undefined) return fromValue;
  const components = [...(o.component ?? [])].sort(
    (a, b) =>
      Number(b.code.coding?.some((c) => c.code === METABOLISM_EFFECT) ?? false) -
      Number(a.code.coding?.some((c) => c.code === METABOLISM_EFFECT) ?? false),
  );
  return components.map((c) => inConcept(c.valueCodeableConcept)).find((a) => a !== undefined);
}

/** The gene of an Observation, or of the genotype Observation it is derived from. */
function geneWithDerivation(o: Observation, byRef: ReadonlyMap<string, Observation>): string | undefined {
  const own = geneOf(o);
  if (own !== undefined) return own;
  return (o.derivedFrom ?? [])
    .map((r) => (r.reference === undefined ? undefined : byRef.get(r.reference)))
    .map((d) => (d === undefined ? undefined : geneOf(d)))
    .find((g) => g !== undefined);
}

/** Every usable result for `gene` (symbol, e.g. `CYP2C19`), newest first. */
export function geneResults(gene: string, resources: readonly FhirResource[]): GeneResult[] {
  const symbol = gene.toUpperCase();
  const observations = resources.filter(
    (r): r is Observation => r.resourceType === 'Observation' && USABLE_STATUS.has(r.status),
  );
  const byRef = new Map(observations.map((o) => [referenceOf(o) ?? '', o] as const));
  return observations
    .filter((o) => geneWithDerivation(o, byRef) === symbol)
    .sort((a, b) => time(b) - time(a))
    .map((o): GeneResult => {
      const answer = phenotypeAnswer(o);
      const phenotypeOnly =
        !isGenotype(o) && (answer !== undefined || codesOf(o).some((k) => PHENOTYPE_CODES.has(k)));
      const date = observationDateText(o);
      const source = referenceOf(o);
      return {
        gene: symbol,
        kind: phenotypeOnly ? 'phenotype' : 'genotype',
        texts: valueTexts(o),
        ...(answer === undefined ? {} : { answer }),
        ...(source === undefined ? {} : { source }),
        ...(date === undefined ? {} : { date }),
      };
    });
}

/** A model input's diplotype for `gene`: the newest readable genotype; unreadable ones are flagged. */
export function resolveGenotype(gene: string, resources: readonly FhirResource[]): Resolved {
  const symbol = gene.toUpperCase();
  const parse = diplotypeParser(symbol);
  const results = geneResults(symbol, resources);
  const unreadable: string[] = [];
  for (const r of results.filter((x) => x.kind === 'genotype')) {
    const diplotype = r.texts.map(parse).find((d) => d !== undefined);
    if (diplotype === undefined) {
      unreadable.push(`${r.source ?? 'Observation'}: "${r.texts.join(' | ') || 'no value'}"`);
      continue;
    }
    return found(diplotype, r, unreadable);
  }
  const phenotype = results.find((x) => x.kind === 'phenotype');
  const notes = unreadable.length > 0 ? [`${symbol} result not interpretable: ${unreadable.join('; ')}`] : [];
  if (phenotype !== undefined) notes.push(`${symbol}: ${describePhenotype(phenotype)} on file, no diplotype`);
  if (results.length === 0) notes.push(`no ${symbol} genotype on file`);
  return resolved(null, { flags: unreadable.length > 0 ? ['uninterpretable'] : [], notes });
}

function found(diplotype: string, r: GeneResult, unreadable: string[]): Resolved {
  return resolved(diplotype, {
    ...(r.date === undefined ? {} : { date: r.date }),
    ...(r.source === undefined ? {} : { source: r.source }),
    flags: unreadable.length > 0 ? ['uninterpretable'] : [],
    notes: unreadable.length > 0 ? [`newer result not interpretable: ${unreadable.join('; ')}`] : [],
  });
}

const time = (o: Observation): number => parseFhirDate(observationDateText(o))?.getTime() ?? 0;

function describePhenotype(r: GeneResult): string {
  const label = r.answer === undefined ? undefined : PHENOTYPE_ANSWERS[r.answer];
  return `phenotype "${label ?? r.texts[0] ?? 'unknown'}" (${r.source ?? 'Observation'})`;
}
