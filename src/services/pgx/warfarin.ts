/**
 * Warfarin: the IWPC weekly-dose estimate (pharmacogenetic when CYP2C9 and VKORC1 are known, clinical
 * otherwise) with its contributions, CPIC 2017 ancestry caveats and, for CYP2C9 poor metabolizers, the
 * CPIC caution. Presented as an estimate to review — never an order, so no dose suggestion; the only
 * suggestion is the genotype test when genotypes are missing.
 */
import { indicatorFor } from '../../cards/indicator-policy.js';
import type { FhirResource, MedicationRequest } from 'fhir/r4.js';
import { render } from '../../cards/data.js';
import {
  formatNumber,
  joinSections,
  section,
  topFactors,
  comparedWith,
  inputFlags,
  modelLine,
  type CardParts,
} from '../../cards/build.js';
import { runModel, type ModelRun } from '../../cards/run-model.js';
import type { Finding } from '../../pgx/recommend.js';
import type { PgxTables } from '../../pgx/tables.js';
import type { ServiceDeps } from '../deps.js';
import { reasoning } from './card.js';
import { testRequest } from './suggestions.js';

export const IWPC_MODEL = 'iwpc-warfarin';

export async function runIwpc(
  deps: ServiceDeps,
  resources: readonly FhirResource[],
  now: Date,
): Promise<ModelRun> {
  const model = deps.models().get(IWPC_MODEL);
  if (model === undefined) throw new Error(`model ${IWPC_MODEL} is not loaded`);
  return runModel(model, resources, { now, settings: deps.settings, valueSets: deps.valueSets });
}

export function warfarinCardParts(
  tables: PgxTables,
  f: Finding,
  run: ModelRun,
  order: MedicationRequest,
): CardParts {
  const cards = tables.files.cards;
  const w = cards.warfarin;
  const untested = f.genes.filter((s) => s.status !== 'known').map((s) => s.gene);
  const caution =
    f.kind === 'actionable'
      ? `**CPIC** (${cards.strengthWords[f.row.strength]}): ${f.row.recommendation}`
      : '';
  const suggestions =
    untested.length > 0
      ? [
          {
            label: render(cards.labels.test, { genes: untested.join(' + ') }),
            actions: [
              {
                type: 'create' as const,
                description: render(cards.labels.testAction, { genes: untested.join(' + ') }),
                resource: testRequest(tables, untested, order.subject, 'warfarin'),
              },
            ],
          },
        ]
      : [];
  const common = {
    source: f.guideline.source,
    overrideReasons: cards.overrideReasons.warfarin,
    ...(suggestions.length > 0 ? { suggestions, selectionBehavior: 'at-most-one' as const } : {}),
  };
  const genes = section('Genotype → phenotype', f.genes.map(reasoning));
  if (run.status !== 'ok') {
    return {
      ...common,
      summary: render(cards.summaries.warfarinNoEstimate, { reason: run.reason }).slice(0, 139),
      indicator:
        f.kind === 'actionable'
          ? indicatorFor(f.row.situation ?? 'action-recommended')
          : indicatorFor('context'),
      detail: joinSections([
        genes,
        caution,
        `**No estimate:** ${run.reason}`,
        w.always,
        `**Model:** ${modelLine(run)}`,
      ]),
    };
  }
  const weekly = run.outputs['weekly_dose_mg'] ?? Number.NaN;
  const pharmacogenetic = run.outputs['algorithm'] === 1;
  const race = run.inputs['race']?.value;
  const caveat =
    race === 'black'
      ? w.caveats.black
      : race === 'white' || race === 'asian'
        ? ''
        : race === 'other'
          ? w.caveats.other
          : w.caveats.unknown;
  return {
    ...common,
    summary: render(cards.summaries.warfarin, {
      algorithm: pharmacogenetic ? 'pharmacogenetic' : 'clinical',
      weekly: formatNumber(weekly),
      daily: formatNumber(weekly / 7),
    }),
    indicator:
      f.kind === 'actionable'
        ? indicatorFor(f.row.situation ?? 'action-recommended')
        : indicatorFor('context'),
    detail: joinSections([
      `**IWPC ${pharmacogenetic ? 'pharmacogenetic' : 'clinical'} algorithm estimate:** ${formatNumber(weekly)} mg/week (≈ ${formatNumber(weekly / 7)} mg/day). ${w.always}`,
      genes,
      caution,
      section(
        `What moved the estimate, ${comparedWith(run, 'weekly_dose_mg')}:`,
        topFactors(run, 'weekly_dose_mg', w.labels, 4),
      ),
      section('Input flags', inputFlags(run.inputs, w.labels)),
      caveat === '' ? '' : `**Ancestry:** ${caveat}`,
      `**Model:** ${modelLine(run)}. **Source:** ${f.guideline.citation.text} (${f.guideline.guidelineVersion}).`,
    ]),
  };
}
