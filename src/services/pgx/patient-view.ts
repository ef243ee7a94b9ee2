/**
 * `augur-pgx-patient-view`: active medications with an actionable CPIC result on file → one concise
 * card listing the gene–drug findings (not one card per finding). Nothing actionable: no card.
 */
import { indicatorFor } from '../../cards/indicator-policy.js';
import type { MedicationRequest, MedicationStatement } from 'fhir/r4.js';
import type { CdsService } from '../../cds/service.js';
import { makeCard, section, joinSections, smartLink } from '../../cards/build.js';
import { render } from '../../cards/data.js';
import { patientData, unreadableIn } from '../../cards/resources.js';
import { saveResult } from '../../cards/result.js';
import { suppressionFor } from '../../cards/suppression.js';
import { matchDrug } from '../../pgx/drugs.js';
import { findingKey, recommend, type Finding } from '../../pgx/recommend.js';
import type { PgxTables } from '../../pgx/tables.js';
import type { ServiceDeps } from '../deps.js';
import { reasoning } from './card.js';
import { chainOf } from './findings.js';
import { loadPgxTables } from './load.js';
import { historyQuery, PGX_PREFETCH } from './order-services.js';

export const PATIENT_VIEW_ID = 'augur-pgx-patient-view';
const RANK = { info: 0, warning: 1, critical: 2 } as const;

export function pgxPatientViewService(deps: ServiceDeps, tables: PgxTables = loadPgxTables()): CdsService {
  return {
    definition: {
      id: PATIENT_VIEW_ID,
      hook: 'patient-view',
      title: 'Augur pharmacogenomics (patient-view)',
      description: 'One card listing the CPIC gene–drug findings for the patient’s active medications.',
      prefetch: {
        ...PGX_PREFETCH,
        statements: {
          query: 'MedicationStatement?patient={{context.patientId}}&status=active',
          required: false,
          onMissing: 'omit',
        },
      },
    },
    async handle(ctx) {
      if (deps.disabledCards.has('pgx')) {
        ctx.trace?.switchedOff('pgx');
        return { cards: [] };
      }
      const data = patientData(ctx.prefetch);
      const active = data.resources.filter(
        (r): r is MedicationRequest | MedicationStatement =>
          (r.resourceType === 'MedicationRequest' || r.resourceType === 'MedicationStatement') &&
          r.status === 'active',
      );
      const byDrug = new Map<string, Extract<Finding, { kind: 'actionable' }>>();
      for (const use of active) {
        const match = matchDrug(tables, use, data.resources);
        if (match === undefined || byDrug.has(match.drug)) continue;
        const f = recommend(tables, match.drug, data.resources);
        if (f?.kind === 'actionable') byDrug.set(match.drug, f);
      }
      const findings = [...byDrug.values()];
      if (findings.length === 0) {
        ctx.trace?.notNeeded(
          `no actionable CPIC finding for the ${String(active.length)} active medication(s) on file`,
          'pgx',
        );
        return { cards: [] };
      }
      const key = `pgx:patient-view:${findings.map(findingKey).sort().join(';')}`;
      const query = historyQuery(ctx, PATIENT_VIEW_ID);
      const { patientRef } = query;
      const verdict = await suppressionFor(ctx.store, query, ctx.now, deps.suppression);
      const v = verdict(key);
      if (v.suppressed) {
        ctx.trace?.suppressed(key, v, { card: 'pgx' });
        return { cards: [] };
      }
      const cards = tables.files.cards;
      const drugs = findings.map((f) => f.drug).join(', ');
      const summary = render(cards.summaries.patientView, { count: findings.length, drugs });
      const indicator = findings
        .map((f) => indicatorFor(f.row.situation ?? 'action-recommended'))
        .reduce<keyof typeof RANK>((a, b) => (RANK[b] > RANK[a] ? b : a), 'info');
      const detail = joinSections([
        section(
          'Gene–drug findings (CPIC)',
          findings.map(
            (f) =>
              `**${f.drug}** — ${f.matched.map(reasoning).join('; ')}: ${f.row.recommendation} (${cards.strengthWords[f.row.strength]}; ${f.guideline.source.label})`,
          ),
        ),
        section(
          'Notes',
          findings.flatMap((f) => f.warnings),
        ),
      ]);
      const clipped = summary.length > 139 ? `${summary.slice(0, 138)}…` : summary;
      const resultId = await saveResult(
        ctx.store,
        {
          patientRef,
          unreadable: unreadableIn(ctx.prefetch),
          payload: {
            version: 1,
            serviceId: PATIENT_VIEW_ID,
            card: { key, summary: clipped, indicator },
            computedAt: ctx.now.toISOString(),
            runs: [],
            findings: findings.map((f) => chainOf(f)),
          },
        },
        ctx.now,
        deps.resultTtlMs,
      );
      const [first] = findings;
      if (first === undefined) return { cards: [] };
      const source =
        findings.length === 1
          ? first.guideline.source
          : {
              label: 'CPIC guidelines',
              url: 'https://cpicpgx.org/guidelines/',
              topic: first.guideline.source.topic,
            };
      const card = makeCard({
        summary: clipped,
        indicator,
        detail,
        source,
        overrideReasons: cards.overrideReasons.finding,
        links: [smartLink(deps.smartLaunchUrl, resultId)],
      });
      ctx.trace?.shown({ key, uuid: card.uuid, card: 'pgx' });
      return { cards: [{ card, key, resultId }] };
    },
  };
}
