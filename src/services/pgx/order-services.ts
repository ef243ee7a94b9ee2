/**
 * `augur-pgx-order-select` (selected draft orders) and `augur-pgx-order-sign` (all draft orders): for a
 * drug with an actionable CPIC gene, the patient's genomic results → CPIC finding → one card per
 * drug–gene finding and order. Per the HL7 PDDI-CDS pattern a card shown at order-select for an order
 * is not repeated at order-sign for the same order in the same ordering session (card history: key +
 * orderRef, same encounter, within `orderSession.windowHours`); overridden or
 * accepted cards are suppressed by the shared policy.
 */
import { indicatorFor } from '../../cards/indicator-policy.js';
import type { FhirResource, MedicationRequest } from 'fhir/r4.js';
import type { CdsService, ProducedCard, ServiceContext, ServiceDefinition } from '../../cds/service.js';
import { makeCard, smartLink, type CardParts } from '../../cards/build.js';
import { patientData, unreadableIn } from '../../cards/resources.js';
import { saveResult } from '../../cards/result.js';
import { suppressionFor } from '../../cards/suppression.js';
import { render } from '../../cards/data.js';
import { matchDrug } from '../../pgx/drugs.js';
import { findingKey, recommend, type Finding } from '../../pgx/recommend.js';
import type { PgxTables } from '../../pgx/tables.js';
import type { ServiceDeps } from '../deps.js';
import type { TraceRecorder } from '../../trace/recorder.js';
import { drugName, findingCardParts } from './card.js';
import { chainOf } from './findings.js';
import { loadPgxTables } from './load.js';
import { orderRefOf } from './suggestions.js';
import { runIwpc, warfarinCardParts } from './warfarin.js';

export const ORDER_SELECT_ID = 'augur-pgx-order-select';
export const ORDER_SIGN_ID = 'augur-pgx-order-sign';

/** Patient, genomic and other Observations (height, weight for IWPC), active medications. */
export const PGX_PREFETCH: ServiceDefinition['prefetch'] = {
  patient: { query: 'Patient/{{context.patientId}}', required: false, onMissing: 'omit' },
  observations: {
    query: 'Observation?patient={{context.patientId}}',
    required: false,
    onMissing: 'omit',
    allPages: true,
  },
  medications: {
    query: 'MedicationRequest?patient={{context.patientId}}&status=active',
    required: false,
    onMissing: 'omit',
  },
};

/** The card-history query for this patient and service; the tenant only when the caller has one. */
export const historyQuery = (
  ctx: ServiceContext,
  serviceId: string,
): { patientRef: string; serviceId: string; tenant?: string } => ({
  patientRef: `Patient/${ctx.request.context.patientId}`,
  serviceId,
  ...(ctx.caller.tenant === undefined ? {} : { tenant: ctx.caller.tenant }),
});

const draftMedicationRequests = (ctx: ServiceContext): MedicationRequest[] =>
  (
    ctx.request.context as { draftOrders?: { entry?: { resource?: FhirResource }[] } }
  ).draftOrders?.entry?.flatMap((e) =>
    e.resource?.resourceType === 'MedicationRequest' && e.resource.id !== undefined ? [e.resource] : [],
  ) ?? [];

/**
 * `cardKey|orderRef` of the cards order-select showed in this ordering session: the same encounter (or
 * both calls without one) within the window. Scoped, not forever: EHRs and the cds-hooks sandbox reuse
 * order ids (`MedicationRequest/request-123`) across sessions.
 */
async function shownInSession(
  ctx: ServiceContext,
  query: ReturnType<typeof historyQuery>,
  windowMs: number,
): Promise<Set<string>> {
  const encounterId = ctx.request.context.encounterId;
  const encounterRef = encounterId === undefined ? undefined : `Encounter/${encounterId}`;
  const history = await ctx.store.findCardHistory({
    ...query,
    serviceId: ORDER_SELECT_ID,
    since: new Date(ctx.now.getTime() - windowMs),
    ...(encounterRef === undefined ? {} : { encounterRef }),
  });
  const shown = new Set<string>();
  for (const h of history) {
    if (h.encounterRef !== encounterRef) continue;
    for (const ref of h.orderRefs) shown.add(`${h.cardKey}|${ref}`);
  }
  return shown;
}

interface Built {
  parts: CardParts;
  key: string;
  finding: Finding;
  models: string[];
  runs: Awaited<ReturnType<typeof runIwpc>>[];
}

async function buildFor(
  deps: ServiceDeps,
  tables: PgxTables,
  order: MedicationRequest,
  resources: FhirResource[],
  genomicsUnavailable: string | undefined,
  now: Date,
  trace?: TraceRecorder,
): Promise<Built | undefined> {
  const orderRef = orderRefOf(order);
  const match = matchDrug(tables, order, resources);
  if (match === undefined) {
    trace?.held('pgx', 'the drug has no CPIC gene–drug table', { orderRef });
    return undefined;
  }
  if (deps.disabledCards.has(`pgx-${match.drug}`)) {
    trace?.switchedOff(`pgx-${match.drug}`);
    return undefined;
  }
  const finding = recommend(tables, match.drug, resources);
  if (finding === undefined) {
    trace?.held(`pgx:${match.drug}`, `no CPIC recommendation applies to ${match.drug}`, { orderRef });
    return undefined;
  }
  const key = findingKey(finding);
  if (genomicsUnavailable !== undefined && finding.kind !== 'actionable') {
    // Absence of a result proves nothing when the results could not be read: say so, suggest nothing.
    const genes = finding.guideline.genes.join(' + ');
    const drug = drugName(match.drug);
    return {
      key: `pgx:${match.drug}:${finding.guideline.genes.join('+')}=unavailable`,
      finding,
      models: [],
      runs: [],
      parts: {
        summary: render(tables.files.cards.summaries.unavailable, { drug, genes }),
        indicator: indicatorFor('cannot-estimate'),
        detail: `Genomic results could not be retrieved (${genomicsUnavailable}); ${genes} for ${match.drug} were not checked. ${finding.guideline.test}`,
        source: finding.guideline.source,
      },
    };
  }
  if (match.drug === 'warfarin') {
    const run = await runIwpc(deps, resources, now);
    trace?.model(run);
    const models = [`${run.model.id}@${run.model.version}`];
    return {
      key: `${key}|iwpc`,
      finding,
      models,
      runs: [run],
      parts: warfarinCardParts(tables, finding, run, order),
    };
  }
  const parts = findingCardParts(tables, finding, order, match, [], deps.replaceStyle);
  if (parts === undefined) trace?.held(key, `the ${match.drug} finding needs no card`, { orderRef });
  return parts === undefined ? undefined : { key, finding, models: [], runs: [], parts };
}

function orderService(deps: ServiceDeps, tables: PgxTables, hook: 'order-select' | 'order-sign'): CdsService {
  const id = hook === 'order-select' ? ORDER_SELECT_ID : ORDER_SIGN_ID;
  const definition: ServiceDefinition = {
    id,
    hook,
    title: `Augur pharmacogenomics (${hook})`,
    description:
      'CPIC gene–drug recommendations for clopidogrel, simvastatin, abacavir, thiopurines, fluoropyrimidines, codeine and warfarin (IWPC dose estimate) from the patient’s genotype results; suggests the test when none is on file.',
    prefetch: PGX_PREFETCH,
  };
  return {
    definition,
    async handle(ctx) {
      const selections = (ctx.request.context as { selections?: string[] }).selections;
      const orders = draftMedicationRequests(ctx).filter(
        (o) => hook === 'order-sign' || (selections ?? []).includes(orderRefOf(o)),
      );
      if (orders.length === 0) {
        ctx.trace?.notNeeded(
          hook === 'order-select' ? 'no selected draft MedicationRequest' : 'no draft MedicationRequest',
        );
        return { cards: [] };
      }
      if (deps.disabledCards.has('pgx')) {
        ctx.trace?.switchedOff('pgx');
        return { cards: [] };
      }
      const data = patientData(ctx.prefetch);
      const obsProblem =
        data.unavailable.find((u) => u.key === 'observations')?.reason ??
        (data.incomplete.includes('observations') ? 'the Observation search was cut short' : undefined);
      const query = historyQuery(ctx, id);
      const { patientRef } = query;
      const verdict = await suppressionFor(ctx.store, query, ctx.now, deps.suppression);
      const shownAtSelect =
        hook === 'order-sign' ? await shownInSession(ctx, query, deps.orderSessionMs) : new Set<string>();
      const cards: ProducedCard[] = [];
      for (const order of orders) {
        const orderRef = orderRefOf(order);
        const built = await buildFor(deps, tables, order, data.resources, obsProblem, ctx.now, ctx.trace);
        if (built === undefined) continue;
        const v = verdict(built.key, orderRef);
        if (v.suppressed) {
          ctx.trace?.suppressed(built.key, v, { orderRef });
          continue;
        }
        if (shownAtSelect.has(`${built.key}|${orderRef}`)) {
          ctx.trace?.held(built.key, 'shown at order-select for this order in this ordering session', {
            orderRef,
          });
          continue;
        }
        const resultId = await saveResult(
          ctx.store,
          {
            patientRef,
            unreadable: unreadableIn(ctx.prefetch),
            payload: {
              version: 1,
              serviceId: id,
              card: { key: built.key, summary: built.parts.summary, indicator: built.parts.indicator },
              computedAt: ctx.now.toISOString(),
              runs: built.runs,
              findings: [chainOf(built.finding, orderRef)],
            },
          },
          ctx.now,
          deps.resultTtlMs,
        );
        const card = makeCard({ ...built.parts, links: [smartLink(deps.smartLaunchUrl, resultId)] });
        ctx.trace?.shown({ key: built.key, uuid: card.uuid, orderRef });
        cards.push({
          card,
          key: built.key,
          orderRefs: [orderRef],
          ...(built.models.length > 0 ? { models: built.models } : {}),
          resultId,
        });
      }
      return { cards };
    },
  };
}

/** The two order services, sharing the tables loaded (and validated) once. */
export function pgxOrderServices(deps: ServiceDeps, tables: PgxTables = loadPgxTables()): CdsService[] {
  return [orderService(deps, tables, 'order-select'), orderService(deps, tables, 'order-sign')];
}
