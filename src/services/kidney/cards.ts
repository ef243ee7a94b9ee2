/**
 * The kidney cards, from the KFRE run and the card data: the risk card (tier, inputs with value, unit
 * and date, the region, a nephrology referral draft when none is open) and the quiet urine-ACR card
 * when the ratio KFRE needs is missing in CKD G3+. Pure.
 */
import { randomUUID } from 'node:crypto';
import type { Coding, ServiceRequest } from 'fhir/r4.js';
import type { CardParts } from '../../cards/build.js';
import {
  comparedWith,
  describeInput,
  inputFlags,
  joinSections,
  percent,
  section,
  topFactors,
} from '../../cards/build.js';
import { indicatorFor } from '../../cards/indicator-policy.js';
import { render, type Band } from '../../cards/data.js';
import type { ModelRun } from '../../cards/run-model.js';
import type { KfreTier, KidneyCards } from './data.js';
import type { OpenOrder } from './orders.js';

type OkRun = Extract<ModelRun, { status: 'ok' }>;
type Suggestion = NonNullable<CardParts['suggestions']>[number];

/** The most severe tier whose threshold the risk exceeds, or undefined (no card). */
export function kfreTier(data: KidneyCards, run: OkRun): KfreTier | undefined {
  return data.tiers.find((t) => (run.outputs[t.output] ?? 0) > t.above);
}

function serviceRequest(
  patientId: string,
  category: Coding,
  code: Coding,
  more: Partial<ServiceRequest> = {},
): ServiceRequest {
  return {
    resourceType: 'ServiceRequest',
    id: randomUUID(),
    status: 'draft',
    intent: 'order',
    category: [{ coding: [category] }],
    code: { coding: [code], text: code.display ?? code.code },
    subject: { reference: `Patient/${patientId}` },
    ...more,
  };
}

export function acrSuggestion(data: KidneyCards, patientId: string, isRecommended: boolean): Suggestion {
  const a = data.acr;
  return {
    label: a.label,
    isRecommended,
    actions: [
      {
        type: 'create',
        description: a.description,
        resource: serviceRequest(patientId, a.category, a.order),
      },
    ],
  };
}

function referralSuggestion(
  data: KidneyCards,
  patientId: string,
  risks: { risk2y: string; risk5y: string },
  ckdCondition: string | undefined,
): Suggestion {
  const r = data.referral;
  const description = render(r.description, risks);
  return {
    label: r.label,
    isRecommended: true,
    actions: [
      {
        type: 'create',
        description,
        resource: serviceRequest(patientId, r.category, r.order, {
          ...(ckdCondition === undefined ? {} : { reasonReference: [{ reference: ckdCondition }] }),
          note: [{ text: `${description} (Augur).` }],
        }),
      },
    ],
  };
}

export interface RiskInput {
  data: KidneyCards;
  tier: KfreTier;
  run: OkRun;
  stage: Band;
  region: { value: string; fromSite: boolean };
  referral: OpenOrder | undefined;
  acrOrder: OpenOrder | undefined;
  patientId: string;
  ckdCondition: string | undefined;
  caveats: string[];
}

export function riskCard(i: RiskInput): Omit<CardParts, 'links'> {
  const { data, run } = i;
  const risks = {
    risk2y: percent(run.outputs['risk_2y'] ?? 0),
    risk5y: percent(run.outputs['risk_5y'] ?? 0),
  };
  const regionName = i.region.value === 'other' ? data.regions.other : data.regions.north_america;
  const uacr = run.inputs['uacr_mg_g'];
  const suggestions: Suggestion[] = [];
  if (i.referral === undefined)
    suggestions.push(referralSuggestion(data, i.patientId, risks, i.ckdCondition));
  if (uacr?.flags.includes('stale') === true && i.acrOrder === undefined)
    suggestions.push(acrSuggestion(data, i.patientId, false));
  const detail = joinSections([
    `**KFRE (4-variable): ${risks.risk2y} at 2 years, ${risks.risk5y} at 5 years** (CKD ${i.stage.label}). ${i.tier.meaning}`,
    `Baseline risk calibrated for ${regionName} (site setting kfre-region${i.region.fromSite ? '' : ' not set: default'}).`,
    section(
      `What drives the risk, ${comparedWith(run, i.tier.output)}:`,
      topFactors(run, i.tier.output, data.labels, 3),
    ),
    section('Check', inputFlags(run.inputs, data.labels)),
    i.referral === undefined
      ? ''
      : `Nephrology referral on file: ${i.referral.text} (${i.referral.ref}${i.referral.date === undefined ? '' : `, ${i.referral.date}`}).`,
    section('Data caveats', i.caveats),
    data.moreInApp,
  ]);
  return {
    summary: `${render(i.tier.summary, risks)}${i.referral === undefined ? '' : data.referredSuffix}`,
    // One policy for every service (cards/indicator-policy.json): a referral or plan still to be made
    // is a recommended action the card carries; with the referral on file it is context.
    indicator: indicatorFor(i.referral === undefined ? 'action-recommended' : 'action-on-file'),
    detail,
    source: data.source,
    ...(suggestions.length === 0 ? {} : { suggestions, selectionBehavior: 'any' as const }),
    overrideReasons: data.overrideReasons,
  };
}

export interface AcrInput {
  data: KidneyCards;
  run: Extract<ModelRun, { status: 'insufficient-data' }>;
  stage: Band;
  patientId: string;
  caveats: string[];
}

export function acrCard(i: AcrInput): Omit<CardParts, 'links'> {
  const a = i.data.acr;
  const egfr = i.run.inputs['egfr_ml_min_1_73m2'];
  const egfrValue = typeof egfr?.value === 'number' ? String(Math.round(egfr.value)) : '?';
  const uacrNote = i.run.inputs['uacr_mg_g']?.note;
  return {
    summary: render(a.summary, { egfr: egfrValue, stage: i.stage.label }),
    indicator: indicatorFor('cannot-estimate'),
    detail: joinSections([
      a.meaning,
      egfr === undefined ? '' : `eGFR ${describeInput(egfr)} — CKD ${i.stage.label}.`,
      uacrNote === undefined ? '' : `Urine ACR: ${uacrNote}.`,
      section('Data caveats', i.caveats),
      i.data.moreInApp,
    ]),
    source: i.data.source,
    suggestions: [acrSuggestion(i.data, i.patientId, true)],
    overrideReasons: i.data.overrideReasons,
  };
}
