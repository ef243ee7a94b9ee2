/**
 * The prefetch an EHR would send for one patient, filled from that patient's resources in memory
 * instead of a FHIR server: each declared template is filled (src/cds/prefetch/template.ts) and the
 * query evaluated over the resources — a read (`Patient/{id}`) gives the resource, a search gives a
 * complete searchset Bundle (every page, as cli/invoke/prefetch-fill.ts gathers them). The result then
 * goes through the services' own prefetch resolution, so bulk data and hook calls meet one code path.
 *
 * Supported search parameters are the ones Augur's patient-view services declare: `patient`, `code`
 * (token, comma-OR, `system|code`), `status` (comma-OR), `_sort=-date`, `_count` (a page size: ignored,
 * every page is gathered). Any other parameter is refused when the scorer is built
 * ({@link checkEvaluable}), never guessed.
 */
import type { FhirResource } from '../features/types.js';
import type { PrefetchDeclaration } from '../cds/service.js';
import { fillTemplate } from '../cds/prefetch/template.js';
import { patientIdOf } from '../cds/prefetch/patient-binding.js';

const SUPPORTED = new Set(['patient', 'code', 'status', '_sort', '_count']);

/** Throws when a declaration uses a query this evaluator cannot answer exactly. */
export function checkEvaluable(
  serviceId: string,
  decls: Readonly<Record<string, PrefetchDeclaration>>,
): void {
  for (const [key, d] of Object.entries(decls)) {
    const [path = '', query] = d.query.split('?', 2);
    if (query === undefined) {
      if (!/^[A-Za-z]+\/\{\{context\.patientId\}\}$/.test(path))
        throw new Error(
          `${serviceId} prefetch ${key}: population scoring reads only Patient/{{context.patientId}}`,
        );
      continue;
    }
    for (const [name, value] of new URLSearchParams(query)) {
      if (!SUPPORTED.has(name))
        throw new Error(`${serviceId} prefetch ${key}: search parameter "${name}" is not evaluable in bulk`);
      if (name === '_sort' && value !== '-date')
        throw new Error(`${serviceId} prefetch ${key}: _sort=${value} is not evaluable in bulk`);
    }
  }
}

interface Coded {
  coding?: { system?: string; code?: string }[];
}

function codesOf(r: FhirResource): { system?: string; code?: string }[] {
  const x = r as { code?: Coded; medicationCodeableConcept?: Coded };
  return [...(x.code?.coding ?? []), ...(x.medicationCodeableConcept?.coding ?? [])];
}

function tokenMatch(r: FhirResource, tokens: readonly string[]): boolean {
  const codings = codesOf(r);
  return tokens.some((t) => {
    const bar = t.indexOf('|');
    const system = bar < 0 ? undefined : t.slice(0, bar);
    const code = bar < 0 ? t : t.slice(bar + 1);
    return codings.some((c) => c.code === code && (system === undefined || (c.system ?? '') === system));
  });
}

/** The date a `date` search sorts by: effective[x] or issued (Observation), else recorded/authored. */
function dateOf(r: FhirResource): string {
  const x = r as {
    effectiveDateTime?: string;
    effectiveInstant?: string;
    effectivePeriod?: { start?: string };
    issued?: string;
    recordedDate?: string;
    authoredOn?: string;
    onsetDateTime?: string;
  };
  return (
    x.effectiveDateTime ??
    x.effectiveInstant ??
    x.effectivePeriod?.start ??
    x.issued ??
    x.onsetDateTime ??
    x.recordedDate ??
    x.authoredOn ??
    ''
  );
}

function search(type: string, query: string, patientId: string, resources: readonly FhirResource[]) {
  const params = new URLSearchParams(query);
  const patient = params.get('patient');
  const codes = params.get('code')?.split(',');
  const statuses = params.get('status')?.split(',');
  let hits = resources.filter((r) => {
    if (r.resourceType !== type) return false;
    if (patientIdOf(r) !== (patient ?? patientId)) return false;
    if (codes !== undefined && !tokenMatch(r, codes)) return false;
    if (statuses !== undefined && !statuses.includes(String((r as { status?: string }).status))) return false;
    return true;
  });
  if (params.get('_sort') === '-date')
    hits = hits
      .map((r, i) => ({ r, i, d: dateOf(r) }))
      .sort((a, b) => (a.d === b.d ? a.i - b.i : a.d < b.d ? 1 : -1))
      .map((x) => x.r);
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: hits.length,
    entry: hits.map((resource) => ({ resource })),
  };
}

/**
 * The prefetch object for one patient (key → resource or searchset Bundle). A read that finds nothing
 * leaves its key out, as an EHR (and cli/invoke/prefetch-fill.ts) does.
 */
export function ehrPrefetch(
  decls: Readonly<Record<string, PrefetchDeclaration>>,
  patientId: string,
  resources: readonly FhirResource[],
  now: Date,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, d] of Object.entries(decls)) {
    const filled = fillTemplate(d.query, { patientId }, now);
    if (filled === undefined) continue;
    const q = filled.indexOf('?');
    if (q < 0) {
      const [type, id] = filled.split('/');
      const found = resources.find((r) => r.resourceType === type && r.id === decodeURIComponent(id ?? ''));
      if (found !== undefined) out[key] = found;
      continue;
    }
    out[key] = search(filled.slice(0, q), filled.slice(q + 1), patientId, resources);
  }
  return out;
}
