/**
 * The atrial-fibrillation cards, from the runs and the card data: the anticoagulation card
 * (CHA₂DS₂-VASc band, criteria met with source and date, the apixaban draft or why no dose, HAS-BLED
 * with its modifiable factors) and the bleeding-risk card for patients already anticoagulated. Pure.
 */
import { randomUUID } from 'node:crypto';
import type { MedicationRequest } from 'fhir/r4.js';
import type { Action } from '../../cds/types.js';
import type { CardParts } from '../../cards/build.js';
import { joinSections, section } from '../../cards/build.js';
import { render } from '../../cards/data.js';
import { indicatorFor } from '../../cards/indicator-policy.js';
import type { ModelRun } from '../../cards/run-model.js';
import type { DoseDecision } from './apixaban.js';
import type { AfCards } from './data.js';
import {
  criteriaAssumedAbsent,
  criteriaMet,
  criterionLine,
  type CriterionMet,
  type OkRun,
} from './points.js';

export type Sex = 'male' | 'female';
export type AnticoagulationBand = 'recommended' | 'considered';

/** The band of a CHA₂DS₂-VASc score for this sex, or undefined below "considered" (no card). */
export function anticoagulationBand(data: AfCards, score: number, sex: Sex): AnticoagulationBand | undefined {
  const t = data.anticoagulation.thresholds;
  if (score >= t.recommended[sex]) return 'recommended';
  if (score >= t.considered[sex]) return 'considered';
  return undefined;
}

/** The HAS-BLED modifiable factors found (uncontrolled BP, labile INR, antiplatelet/NSAID, alcohol). */
export function modifiableFactors(data: AfCards, bled: OkRun): CriterionMet[] {
  return criteriaMet(bled, 'score', data.criteria['has-bled']).filter(
    (c) => data.bleeding.modifiable[c.input] !== undefined,
  );
}

const score = (run: OkRun): number => Math.round(run.outputs['score'] ?? 0);

/** The HAS-BLED paragraph of the anticoagulation card. */
function bleedingSection(data: AfCards, bled: ModelRun): string {
  if (bled.status !== 'ok') return `**Bleeding risk:** HAS-BLED not computed (${bled.reason}).`;
  const s = score(bled);
  if (s < data.bleeding.highRiskAtLeast) return `**Bleeding risk:** HAS-BLED ${String(s)} (not high).`;
  const factors = modifiableFactors(data, bled).map(criterionLine);
  return joinSections([
    `**Bleeding risk:** HAS-BLED ${String(s)} (high, ≥ ${String(data.bleeding.highRiskAtLeast)}). ${data.bleeding.notAReason}`,
    factors.length === 0
      ? 'No modifiable bleeding risk factor found in the record.'
      : section('Modifiable bleeding risk factors', factors),
  ]);
}

function doseSection(data: AfCards, dose: DoseDecision): string {
  const a = data.apixaban;
  if (dose.kind === 'none')
    return `**Anticoagulant choice:** no DOAC dose suggested — ${dose.why}; review the anticoagulant (${a.noDose.citation}).`;
  const rule = `${a.reduction.citation}: 2.5 mg if ≥ ${String(a.reduction.criteriaNeeded)} of`;
  const items = dose.criteria.map(
    (c) => `${c.label}: ${c.shown} — ${c.met === undefined ? 'unknown' : c.met ? 'yes' : 'no'}`,
  );
  const d = doseOf(a, dose);
  const outcome =
    d !== undefined
      ? `Suggested: apixaban ${d.doseText}.`
      : `No dose suggested: ${dose.kind === 'review' ? dose.why : ''}.`;
  return joinSections([section(`Apixaban dose check (${rule})`, items), outcome]);
}

type Dose = AfCards['apixaban']['standard'];

/** The dose the decision settled on, or undefined ("review" without a dose). */
const doseOf = (a: AfCards['apixaban'], dose: DoseDecision): Dose | undefined =>
  dose.kind !== 'dose' ? undefined : dose.dose === 'reduced' ? a.reduced : a.standard;

/** A complete draft MedicationRequest: the product and its dosage, or the ingredient with no dose. */
function medicationDraft(a: AfCards['apixaban'], d: Dose | undefined, patientId: string, reason?: string) {
  const mr: MedicationRequest = {
    resourceType: 'MedicationRequest',
    id: randomUUID(),
    status: 'draft',
    intent: 'order',
    subject: { reference: `Patient/${patientId}` },
    medicationCodeableConcept:
      d === undefined ? { coding: [a.ingredient] } : { coding: [d.product], text: d.product.display },
  };
  if (reason !== undefined) mr.reasonReference = [{ reference: reason }];
  if (d !== undefined)
    mr.dosageInstruction = [
      {
        text: d.doseText,
        route: { coding: [a.route] },
        timing: { repeat: { frequency: d.timesPerDay, period: 1, periodUnit: 'd' } },
        doseAndRate: [
          { doseQuantity: { value: d.doseMg, unit: 'mg', system: 'http://unitsofmeasure.org', code: 'mg' } },
        ],
      },
    ];
  return mr;
}

function suggestion(
  data: AfCards,
  dose: DoseDecision,
  patientId: string,
  isRecommended: boolean,
  reason?: string,
): NonNullable<CardParts['suggestions']> {
  if (dose.kind === 'none') return [];
  const a = data.apixaban;
  const d = doseOf(a, dose);
  const action: Action = {
    type: 'create',
    description:
      d === undefined
        ? render(a.descriptions.review, { why: dose.kind === 'review' ? dose.why : '' })
        : render(a.descriptions.dosed, { product: d.product.display, doseText: d.doseText }),
    resource: medicationDraft(a, d, patientId, reason),
  };
  const label =
    d === undefined
      ? render(a.labels.review, {})
      : render(a.labels.dosed, { dose: `${String(d.doseMg)} mg` });
  return [{ label, isRecommended, actions: [action] }];
}

export interface AnticoagulationInput {
  data: AfCards;
  band: AnticoagulationBand;
  sex: Sex;
  cha: OkRun;
  bled: ModelRun;
  dose: DoseDecision;
  patientId: string;
  /** The AF Condition the draft order is for. */
  afCondition?: string;
  caveats: string[];
}

export function anticoagulationCard(i: AnticoagulationInput): Omit<CardParts, 'links'> {
  const { data } = i;
  const ac = data.anticoagulation;
  const band = ac.bands[i.band];
  const s = score(i.cha);
  const meaning = render(band.meaning, {
    threshold: ac.thresholds[i.band][i.sex],
    sexWord: i.sex === 'male' ? 'men' : 'women',
  });
  const rate = i.cha.outputs['annual_stroke_rate_band'];
  const labels = data.criteria['cha2ds2-vasc'];
  const absent = criteriaAssumedAbsent(i.cha, labels);
  const detail = joinSections([
    `**CHA₂DS₂-VASc ${String(s)}:** ${meaning}.${rate === undefined ? '' : ` ${render(ac.strokeRate, { rate: Number((rate * 100).toFixed(1)) })}`}`,
    section('Criteria met', criteriaMet(i.cha, 'score', labels).map(criterionLine)),
    absent.length === 0 ? '' : `Not found in coded data (counted as absent): ${absent.join(', ')}.`,
    doseSection(data, i.dose),
    bleedingSection(data, i.bled),
    section('Data caveats', i.caveats),
    data.moreInApp,
  ]);
  return {
    summary: render(band.summary, { score: s }),
    indicator: indicatorFor(band.situation),
    detail,
    source: ac.source,
    suggestions: suggestion(data, i.dose, i.patientId, band.isRecommended, i.afCondition),
    overrideReasons: ac.overrideReasons,
  };
}

export interface BleedingInput {
  data: AfCards;
  bled: OkRun;
  factors: CriterionMet[];
  anticoagulant: string;
  caveats: string[];
}

export function bleedingCard(i: BleedingInput): Omit<CardParts, 'links'> {
  const b = i.data.bleeding;
  const s = score(i.bled);
  const words = i.factors.map((f) => b.modifiable[f.input] ?? f.label);
  const detail = joinSections([
    `**HAS-BLED ${String(s)}** (high, ≥ ${String(b.highRiskAtLeast)}) on ${i.anticoagulant}. ${b.notAReason}`,
    section('Modifiable factors to address', i.factors.map(criterionLine)),
    section('Data caveats', i.caveats),
    i.data.moreInApp,
  ]);
  return {
    summary: render(b.summary, { score: s, factors: words.join(', ') }),
    indicator: indicatorFor(b.situation),
    detail,
    source: b.source,
    overrideReasons: b.overrideReasons,
  };
}
