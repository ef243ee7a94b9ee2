/**
 * Resolving a package's HTI-1 source attributes (pure): each catalog attribute is answered by the
 * package's own statement, else by the manifest field it maps to, else by Augur's local monitoring, else
 * it is listed as missing. Nothing is guessed: an attribute with no answer is `missing`, by name.
 */
import type { ModelManifest } from '../models/manifest.js';
import type { Citation } from '../models/manifest.js';
import { CATALOG_VERSION, catalogFor, type AttributeDef, type AttributeSet } from './hti1-catalog.js';
import { demographicUse, DEMOGRAPHIC_OF } from './demographics.js';
import type { SourceAttributesFile, StatedAttribute, SubgroupPerformance } from './schema.js';

export interface ResolvedAttribute {
  id: string;
  group: string;
  label: string;
  wording: string;
  status: 'stated' | 'not-available' | 'missing';
  value?: string;
  reason?: string;
  citations?: Citation[] | undefined;
  /** Where the answer came from: `package`, `manifest:<field>`, `augur:monitoring`. */
  source?: string;
}

export interface ResolvedSourceAttributes {
  catalogVersion: string;
  set: AttributeSet;
  complete: boolean;
  missing: { id: string; label: string }[];
  attributes: ResolvedAttribute[];
  subgroupPerformance: SubgroupPerformance[];
}

/** The parts of a manifest the catalog maps to (an evidence-based rule outside the model platform has fewer). */
export type InterventionFacts = Partial<
  Pick<
    ModelManifest,
    | 'citations'
    | 'intendedUse'
    | 'intendedUsers'
    | 'population'
    | 'limitations'
    | 'development'
    | 'outputs'
    | 'inputs'
  >
>;

/** What Augur's monitoring can say about local validity and fairness (src/monitoring supplies it). */
export type LocalMonitoringStatements = Readonly<Record<string, StatedAttribute>>;

type Answer = Pick<ResolvedAttribute, 'value' | 'citations' | 'source'>;

function subgroupText(rows: readonly SubgroupPerformance[], data: 'test' | 'external'): Answer | undefined {
  const mine = rows.filter((r) => r.data === data);
  if (mine.length === 0) return undefined;
  const text = mine
    .map((r) =>
      r.value === undefined
        ? `${r.subgroup}: ${r.metric} not reported (${r.notReported ?? ''})`
        : `${r.subgroup}: ${r.metric} ${String(r.value)}${r.interval === undefined ? '' : ` (${r.interval})`} — ${r.dataset}`,
    )
    .join('; ');
  return { value: text, citations: dedupe(mine.map((r) => r.citation)), source: 'subgroupPerformance' };
}

function dedupe(citations: readonly Citation[]): Citation[] {
  const seen = new Map(citations.map((c) => [c.text, c]));
  return [...seen.values()];
}

function fromManifest(
  def: AttributeDef,
  facts: InterventionFacts,
  subgroups: readonly SubgroupPerformance[],
): Answer | undefined {
  const m = (value: string | undefined, field: string): Answer | undefined =>
    value === undefined ? undefined : { value, source: `manifest:${field}` };
  switch (def.from) {
    case 'citations':
      return facts.citations === undefined
        ? undefined
        : {
            value: facts.citations.map((c) => c.text).join(' | '),
            citations: facts.citations,
            source: 'manifest:citations',
          };
    case 'intendedUse':
      return m(facts.intendedUse, 'intendedUse');
    case 'intendedUsers':
      return m(facts.intendedUsers, 'intendedUsers');
    case 'population.description':
      return m(facts.population?.description, 'population.description');
    case 'limitations':
      return m(facts.limitations?.join(' '), 'limitations');
    case 'development.data':
      return m(facts.development?.data, 'development.data');
    case 'development.method':
      return m(facts.development?.method, 'development.method');
    case 'outputs':
      return m(facts.outputs?.map((o) => `${o.name} (${o.unit}): ${o.description}`).join(' '), 'outputs');
    case 'demographic-inputs':
      return facts.inputs === undefined
        ? undefined
        : { value: demographicUse(facts.inputs, DEMOGRAPHIC_OF[def.id]), source: 'manifest:inputs' };
    case 'subgroupPerformance':
      return subgroupText(subgroups, def.id === '(B)(7)(ii)' ? 'test' : 'external');
    case 'local-monitoring':
    case undefined:
      return undefined;
  }
  return undefined;
}

/**
 * Answers every attribute of the package's set. `file` undefined (a bring-your-own package without
 * `source-attributes.json`) resolves as predictive with only what the manifest answers.
 */
export function resolveSourceAttributes(
  facts: InterventionFacts,
  file: SourceAttributesFile | undefined,
  local: LocalMonitoringStatements,
): ResolvedSourceAttributes {
  const set = file?.set ?? 'predictive';
  const subgroups = file?.subgroupPerformance ?? [];
  const attributes = catalogFor(set).map((def): ResolvedAttribute => {
    const base = { id: def.id, group: def.group, label: def.label, wording: def.wording };
    const stated = file?.attributes[def.id] ?? (def.from === 'local-monitoring' ? local[def.id] : undefined);
    const source = file?.attributes[def.id] === undefined ? 'augur:monitoring' : 'package';
    if (stated !== undefined && 'notAvailable' in stated)
      return { ...base, status: 'not-available', reason: stated.notAvailable, source };
    if (stated !== undefined) return { ...base, status: 'stated', ...stated, source };
    const derived = fromManifest(def, facts, subgroups);
    return derived === undefined ? { ...base, status: 'missing' } : { ...base, status: 'stated', ...derived };
  });
  const missing = attributes.filter((a) => a.status === 'missing').map((a) => ({ id: a.id, label: a.label }));
  return {
    catalogVersion: CATALOG_VERSION,
    set,
    complete: missing.length === 0,
    missing,
    attributes,
    subgroupPerformance: subgroups,
  };
}

/** Statements for ids the catalog does not know (a typo must not silently become "missing"). */
export function unknownAttributeIds(file: SourceAttributesFile): string[] {
  const known = new Set(catalogFor(file.set).map((d) => d.id));
  return Object.keys(file.attributes).filter((id) => !known.has(id));
}
