/**
 * Pharmacogenomics as the app shows it (pure): every gene with a result on file, interpreted through
 * the CPIC tables (src/pgx `geneStatus`: genotype → phenotype, or uninterpretable — never a default
 * normal), and for each active or draft medication that has a CPIC guideline, the finding's chain
 * (genotype → phenotype → recommendation, strength, guideline). Live findings use the same serialised
 * shape as the stored result behind a PGx card (`FindingChain`, src/services/pgx/findings.ts), so one
 * renderer shows both.
 */
import type { FhirResource, MedicationRequest, MedicationStatement, Observation } from 'fhir/r4.js';
import { geneOf } from '../../../src/features/genotype-parse.js';
import { matchDrug } from '../../../src/pgx/drugs.js';
import { recommend } from '../../../src/pgx/recommend.js';
import { geneStatus, type GeneStatus } from '../../../src/pgx/results.js';
import type { PgxTables } from '../../../src/pgx/tables.js';
import { chainOf, type FindingChain } from '../../../src/services/pgx/findings.js';

export type { FindingChain };

export interface GeneView {
  gene: string;
  status: GeneStatus;
  /** Drugs whose CPIC guideline (in Augur's tables) uses this gene. */
  guidelineDrugs: string[];
}

export interface DrugView {
  chain: FindingChain;
  /** What the order or statement says (display text or code). */
  ordered: string;
  /** `active order`, `draft order`, `active statement`. */
  use: string;
  source: string | undefined;
  /** Matched by the drug name in the display text, not by RxNorm code. */
  byText: boolean;
}

export interface PgxView {
  genes: GeneView[];
  drugs: DrugView[];
}

type MedicationUse = MedicationRequest | MedicationStatement;

const isObservation = (r: FhirResource): r is Observation => r.resourceType === 'Observation';

/** Draft or active MedicationRequests and active MedicationStatements. */
function currentUse(r: FhirResource): r is MedicationUse {
  if (r.resourceType === 'MedicationRequest') return r.status === 'active' || r.status === 'draft';
  if (r.resourceType === 'MedicationStatement') return r.status === 'active';
  return false;
}

const useText = (u: MedicationUse): string =>
  `${u.status} ${u.resourceType === 'MedicationRequest' ? 'order' : 'statement'}`;

export function pgxView(tables: PgxTables, resources: readonly FhirResource[]): PgxView {
  const onFile = [...new Set(resources.filter(isObservation).flatMap((o) => geneOf(o) ?? []))].sort();
  const genes = onFile.map((gene) => ({
    gene,
    status: geneStatus(tables, gene, resources),
    guidelineDrugs: [...tables.guidelines.values()].filter((g) => g.genes.includes(gene)).map((g) => g.drug),
  }));
  const drugs: DrugView[] = [];
  const seen = new Set<string>();
  for (const use of resources.filter(currentUse)) {
    const match = matchDrug(tables, use, resources);
    if (match === undefined || seen.has(match.drug)) continue;
    const finding = recommend(tables, match.drug, resources);
    if (finding === undefined) continue;
    seen.add(match.drug);
    drugs.push({
      chain: chainOf(finding),
      ordered: match.ordered,
      use: useText(use),
      source: use.id === undefined ? undefined : `${use.resourceType}/${use.id}`,
      byText: match.byText,
    });
  }
  return { genes, drugs };
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const optString = (v: unknown): boolean => v === undefined || typeof v === 'string';
const KINDS = new Set(['actionable', 'normal', 'untested', 'uninterpretable']);

function isGene(v: unknown): boolean {
  return (
    isRecord(v) &&
    typeof v['gene'] === 'string' &&
    typeof v['status'] === 'string' &&
    Array.isArray(v['warnings']) &&
    v['warnings'].every((w) => typeof w === 'string') &&
    ['diplotype', 'phenotype', 'label', 'basis', 'source', 'date'].every((k) => optString(v[k])) &&
    (v['activityScore'] === undefined || typeof v['activityScore'] === 'number')
  );
}

function isChain(v: unknown): v is FindingChain {
  if (!isRecord(v)) return false;
  const g = v['guideline'];
  return (
    typeof v['drug'] === 'string' &&
    KINDS.has(String(v['kind'])) &&
    Array.isArray(v['genes']) &&
    v['genes'].every(isGene) &&
    optString(v['recommendation']) &&
    optString(v['strength']) &&
    optString(v['orderRef']) &&
    isRecord(g) &&
    typeof g['citation'] === 'string' &&
    typeof g['version'] === 'string' &&
    typeof g['date'] === 'string' &&
    optString(g['url'])
  );
}

/** The PGx services' ids share this prefix (other services store their own `findings` shapes). */
export const PGX_SERVICE_PREFIX = 'augur-pgx-';

export interface StoredPgx {
  chains: FindingChain[];
  /** Entries of another shape, dropped (the app says some could not be read). */
  unreadable: number;
}

/**
 * A stored PGx result's `findings`, as the PGx services write them (an array of FindingChain);
 * undefined when the stored result is another service's.
 */
export function storedPgx(payload: { serviceId: string; findings?: unknown }): StoredPgx | undefined {
  if (!payload.serviceId.startsWith(PGX_SERVICE_PREFIX)) return undefined;
  const { findings } = payload;
  if (!Array.isArray(findings)) return { chains: [], unreadable: findings === undefined ? 0 : 1 };
  const chains = findings.filter(isChain);
  return { chains, unreadable: findings.length - chains.length };
}
