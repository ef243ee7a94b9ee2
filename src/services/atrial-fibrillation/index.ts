/**
 * `augur-atrial-fibrillation` (patient-view): for adults with AF, CHA₂DS₂-VASc and HAS-BLED. No
 * anticoagulant on file and a score at which anticoagulation is recommended or considered → a card with
 * an apixaban draft order (or "review" without a dose when the dose cannot be settled). Already
 * anticoagulated with HAS-BLED ≥ 3 and a modifiable bleeding risk factor → a card naming the factors.
 * Otherwise no card: outside the population, below the thresholds, or short of data nothing is actionable.
 */
import type { CdsService, ServiceContext, ServiceDefinition, ServiceResult } from '../../cds/service.js';
import { patientRef } from '../../audit/audit.js';
import { patientData } from '../../cards/resources.js';
import { runModel, type RunContext } from '../../cards/run-model.js';
import { getValueSet } from '../../features/valuesets.js';
import type { ServiceDeps } from '../deps.js';
import { emitCard } from '../emit.js';
import {
  allConditionsPrefetch,
  loincObservationsPrefetch,
  openResourcesPrefetch,
  patientPrefetch,
} from '../prefetch.js';
import { findAnticoagulants } from './anticoagulants.js';
import { apixabanDose } from './apixaban.js';
import {
  anticoagulationBand,
  anticoagulationCard,
  bleedingCard,
  modifiableFactors,
  type Sex,
} from './cards.js';
import { loadAfCards, type AfCards } from './data.js';
import { activeConditionsIn } from '../../features/conditions.js';
import { referenceOf } from '../../features/types.js';

export const AF_SERVICE_ID = 'augur-atrial-fibrillation';
const ANTICOAGULANTS = 'medication-oral-anticoagulants';

const OBSERVATION_CODES = [
  '85354-9', // BP panel (SBP component: HAS-BLED uncontrolled hypertension)
  '55284-4', // BP systolic and diastolic
  '8480-6', // systolic BP
  '29463-7', // body weight (apixaban dose)
  '2160-0', // creatinine, serum/plasma, mass (apixaban dose)
  '38483-4', // creatinine, blood
  '14682-9', // creatinine, serum/plasma, moles
];

export const afDefinition: ServiceDefinition = {
  id: AF_SERVICE_ID,
  hook: 'patient-view',
  title: 'Atrial fibrillation: stroke and bleeding risk (CHA₂DS₂-VASc, HAS-BLED)',
  description:
    'For adults with atrial fibrillation: CHA₂DS₂-VASc and HAS-BLED with the criteria found. Suggests an apixaban order when anticoagulation is recommended or considered and no anticoagulant is on file; names modifiable bleeding risk factors when HAS-BLED ≥ 3.',
  prefetch: {
    patient: patientPrefetch,
    conditions: allConditionsPrefetch,
    observations: loincObservationsPrefetch(OBSERVATION_CODES),
    medicationRequests: openResourcesPrefetch('MedicationRequest', ['active', 'on-hold']),
    medicationStatements: openResourcesPrefetch('MedicationStatement', ['active', 'on-hold']),
  },
  usageRequirements:
    'Reads every Condition, past ones included (AF and the CHA₂DS₂-VASc/HAS-BLED criteria), BP, weight and creatinine Observations, and active or on-hold MedicationRequests and MedicationStatements.',
};

export function atrialFibrillationService(deps: ServiceDeps): CdsService {
  const data = loadAfCards(deps.valueSets);
  getValueSet(deps.valueSets, ANTICOAGULANTS);
  return { definition: afDefinition, handle: (ctx) => handle(ctx, deps, data) };
}

function required(deps: ServiceDeps, id: string) {
  const model = deps.models().get(id);
  if (model === undefined) throw new Error(`model ${id} is not loaded`);
  return model;
}

async function handle(ctx: ServiceContext, deps: ServiceDeps, data: AfCards): Promise<ServiceResult> {
  const { resources, unavailable, incomplete } = patientData(ctx.prefetch);
  const run: RunContext = { now: ctx.now, settings: deps.settings, valueSets: deps.valueSets };
  const cha = await runModel(required(deps, 'cha2ds2-vasc'), resources, run);
  ctx.trace?.model(cha);
  // Not AF, no age, sex not male/female: nothing to act on.
  if (cha.status !== 'ok') {
    ctx.trace?.notNeeded(`CHA₂DS₂-VASc not estimated: ${cha.reason}`);
    return { cards: [] };
  }
  // Without the medication list, "no anticoagulant on file" cannot be said.
  if (unavailable.some((u) => u.key === 'medicationRequests')) {
    ctx.trace?.notNeeded('the MedicationRequest list could not be read: anticoagulant use unknown');
    return { cards: [] };
  }
  const bled = await runModel(required(deps, 'has-bled'), resources, run);
  ctx.trace?.model(bled);
  const anticoagulants = findAnticoagulants(resources, getValueSet(deps.valueSets, ANTICOAGULANTS));
  const caveats = [
    ...unavailable.map((u) => `${u.key} could not be read: ${u.reason}`),
    ...incomplete.map((k) => `${k}: only part of the results was read`),
    ...anticoagulants.unidentified.map(
      (ref) => `${ref}: drug not identifiable (medication reference not resolved)`,
    ),
  ];
  const patientId = ctx.request.context.patientId;
  const base = { ctx, deps, serviceId: AF_SERVICE_ID, patientRef: patientRef(patientId) };
  const sex = cha.inputs['sex']?.value as Sex;

  if (anticoagulants.found.length === 0) {
    const band = anticoagulationBand(data, Math.round(cha.outputs['score'] ?? 0), sex);
    if (band !== undefined) ctx.trace?.model(cha, band);
    if (band === undefined) {
      ctx.trace?.notNeeded(
        `no anticoagulant on file, CHA₂DS₂-VASc ${String(cha.outputs['score'])} below the threshold for anticoagulation`,
        data.anticoagulation.cardId,
      );
      return { cards: [] };
    }
    if (deps.disabledCards.has(data.anticoagulation.cardId)) {
      ctx.trace?.switchedOff(data.anticoagulation.cardId);
      return { cards: [] };
    }
    const age = cha.inputs['age_years']?.value;
    const dose = apixabanDose(data.apixaban, typeof age === 'number' ? age : 0, resources, run);
    const af = activeConditionsIn(resources, getValueSet(deps.valueSets, 'atrial-fibrillation'))[0];
    const afRef = af === undefined ? undefined : referenceOf(af);
    const parts = anticoagulationCard({
      data,
      band,
      sex,
      cha,
      bled,
      dose,
      patientId,
      caveats,
      ...(afRef === undefined ? {} : { afCondition: afRef }),
    });
    const card = await emitCard(base, {
      key: `${data.anticoagulation.cardId}:band=${band}`,
      band,
      parts,
      runs: [cha, bled],
      findings: { anticoagulants, dose },
    });
    return { cards: card === undefined ? [] : [card] };
  }

  if (bled.status !== 'ok' || (bled.outputs['score'] ?? 0) < data.bleeding.highRiskAtLeast) {
    ctx.trace?.notNeeded(
      bled.status === 'ok'
        ? `anticoagulated, HAS-BLED ${String(bled.outputs['score'])} below ${String(data.bleeding.highRiskAtLeast)}`
        : `anticoagulated, HAS-BLED not estimated: ${bled.reason}`,
      data.bleeding.cardId,
    );
    return { cards: [] };
  }
  const factors = modifiableFactors(data, bled);
  if (factors.length === 0) {
    ctx.trace?.notNeeded('HAS-BLED high but no modifiable bleeding risk factor', data.bleeding.cardId);
    return { cards: [] };
  }
  if (deps.disabledCards.has(data.bleeding.cardId)) {
    ctx.trace?.switchedOff(data.bleeding.cardId);
    return { cards: [] };
  }
  const on = anticoagulants.found[0];
  const parts = bleedingCard({
    data,
    bled,
    factors,
    anticoagulant:
      on === undefined ? 'an anticoagulant' : `${on.name}${on.source === undefined ? '' : ` (${on.source})`}`,
    caveats,
  });
  const card = await emitCard(base, {
    key: `${data.bleeding.cardId}:band=high;factors=${factors
      .map((f) => f.input)
      .sort()
      .join('+')}`,
    band: 'high',
    parts,
    runs: [bled, cha],
    findings: { anticoagulants },
  });
  return { cards: card === undefined ? [] : [card] };
}
