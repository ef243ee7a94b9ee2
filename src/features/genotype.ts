/**
 * Pharmacogenomic genotypes in the shapes pgx.md lists ("Genotypes and phenotypes in FHIR"):
 * - Genomics Reporting IG: Observation 84413-4 (genotype display name), value from PharmVar
 *   (e.g. "CYP2C9 *1/*3"), gene in component 48018-6 (HGNC);
 * - legacy: SNOMED 363779003 (genotype determination) with valueString "*1/*3" and a gene component;
 * - phenotype only (e.g. 79716-7 CYP2C9 phenotype, LA-coded): usable for CPIC rules, not as a diplotype.
 * A result that cannot be read is flagged `uninterpretable`, never mapped to a normal genotype.
 */
import type { Observation } from 'fhir/r4.js';
import { observationDateText, parseFhirDate } from './dates.js';
import { diplotypeParser, geneOf, PHENOTYPE_ANSWERS, PHENOTYPE_CODES } from './genotype-parse.js';
import { SYSTEMS } from './systems.js';
import type { FhirResource, Resolved } from './types.js';
import { referenceOf, resolved } from './types.js';

/** Genotype observation codes: LOINC 84413-4 (IG STU3), SNOMED 363779003 (legacy). */
const GENOTYPE_CODES = new Set([`${SYSTEMS.loinc}|84413-4`, `${SYSTEMS.snomed}|363779003`]);
/** ObservationStatus values that count; entered-in-error and preliminary results do not. */
const USABLE_STATUS = new Set(['final', 'amended', 'corrected']);

const codesOf = (o: Observation): string[] =>
  (o.code.coding ?? []).map((c) => `${c.system ?? ''}|${c.code ?? ''}`);
const isGenotype = (o: Observation): boolean => codesOf(o).some((k) => GENOTYPE_CODES.has(k));

/** Texts a genotype result may be written in: coded value (code, display, text) and valueString. */
function valueTexts(o: Observation): string[] {
  const cc = o.valueCodeableConcept;
  return [...(cc?.coding ?? []).flatMap((c) => [c.code, c.display]), cc?.text, o.valueString].filter(
    (t): t is string => t !== undefined && t.trim() !== '',
  );
}

interface Attempt {
  o: Observation;
  kind: 'genotype' | 'phenotype';
}

export function resolveGenotype(gene: string, resources: readonly FhirResource[]): Resolved {
  const symbol = gene.toUpperCase();
  const parse = diplotypeParser(symbol);
  const relevant = resources
    .filter((r): r is Observation => r.resourceType === 'Observation' && USABLE_STATUS.has(r.status))
    .filter((o) => geneOf(o) === symbol)
    .map((o): Attempt => ({ o, kind: isGenotype(o) || !isPhenotype(o) ? 'genotype' : 'phenotype' }))
    .sort((a, b) => time(b.o) - time(a.o));
  const unreadable: string[] = [];
  for (const { o } of relevant.filter((a) => a.kind === 'genotype')) {
    const diplotype = valueTexts(o)
      .map(parse)
      .find((d) => d !== undefined);
    if (diplotype === undefined) {
      unreadable.push(`${referenceOf(o) ?? 'Observation'}: "${valueTexts(o).join(' | ') || 'no value'}"`);
      continue;
    }
    return found(diplotype, o, unreadable);
  }
  const phenotype = relevant.find((a) => a.kind === 'phenotype');
  const notes = unreadable.length > 0 ? [`${symbol} result not interpretable: ${unreadable.join('; ')}`] : [];
  if (phenotype !== undefined)
    notes.push(`${symbol}: ${describePhenotype(phenotype.o)} on file, no diplotype`);
  if (relevant.length === 0) notes.push(`no ${symbol} genotype on file`);
  return resolved(null, { flags: unreadable.length > 0 ? ['uninterpretable'] : [], notes });
}

function found(diplotype: string, o: Observation, unreadable: string[]): Resolved {
  const date = observationDateText(o);
  const source = referenceOf(o);
  return resolved(diplotype, {
    ...(date === undefined ? {} : { date }),
    ...(source === undefined ? {} : { source }),
    flags: unreadable.length > 0 ? ['uninterpretable'] : [],
    notes: unreadable.length > 0 ? [`newer result not interpretable: ${unreadable.join('; ')}`] : [],
  });
}

const time = (o: Observation): number => parseFhirDate(observationDateText(o))?.getTime() ?? 0;

function isPhenotype(o: Observation): boolean {
  const answer = o.valueCodeableConcept?.coding?.some(
    (c) => c.code !== undefined && c.code in PHENOTYPE_ANSWERS,
  );
  return (answer ?? false) || codesOf(o).some((k) => PHENOTYPE_CODES.has(k));
}

function describePhenotype(o: Observation): string {
  const code = o.valueCodeableConcept?.coding?.find(
    (c) => c.code !== undefined && c.code in PHENOTYPE_ANSWERS,
  )?.code;
  const label = code === undefined ? undefined : PHENOTYPE_ANSWERS[code];
  return `phenotype "${label ?? o.valueCodeableConcept?.text ?? 'unknown'}" (${referenceOf(o) ?? 'Observation'})`;
}
