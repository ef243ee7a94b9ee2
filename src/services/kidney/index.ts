/**
 * `augur-kidney-risk` (patient-view): for adults with CKD G3–G5 (coded CKD and eGFR < 60, not on
 * dialysis, no transplant), the 4-variable KFRE at 2 and 5 years. Above a tier (5-year > 5 % referral,
 * 2-year > 10 % multidisciplinary care, 2-year > 40 % KRT planning) → a card with a nephrology referral
 * draft unless one is open. No urine ACR in CKD G3+ → a quiet card to order one. Otherwise no card.
 */
import type { CdsService, ServiceContext, ServiceDefinition, ServiceResult } from '../../cds/service.js';
import { patientRef } from '../../audit/audit.js';
import { bandFor, CardDataError } from '../../cards/data.js';
import { patientData } from '../../cards/resources.js';
import { runModel } from '../../cards/run-model.js';
import { activeConditionsIn } from '../../features/conditions.js';
import { referenceOf } from '../../features/types.js';
import { getValueSet } from '../../features/valuesets.js';
import type { ServiceDeps } from '../deps.js';
import { emitCard } from '../emit.js';
import {
  allConditionsPrefetch,
  loincObservationsPrefetch,
  openResourcesPrefetch,
  patientPrefetch,
} from '../prefetch.js';
import { acrCard, kfreTier, riskCard } from './cards.js';
import { KIDNEY_CARD_FILE, loadKidneyCards, type KidneyCards } from './data.js';
import { openOrders } from './orders.js';

export const KIDNEY_SERVICE_ID = 'augur-kidney-risk';
const REGION = 'kfre-region';

const OBSERVATION_CODES = [
  '98979-8', // eGFR CKD-EPI 2021
  '33914-3', // eGFR MDRD
  '62238-1', // eGFR CKD-EPI 2009
  '2160-0', // creatinine, serum/plasma, mass
  '38483-4', // creatinine, blood
  '14682-9', // creatinine, serum/plasma, moles
  '9318-7', // urine albumin/creatinine, mass ratio
  '14959-1', // urine microalbumin/creatinine
  '32294-1', // urine albumin/creatinine, ratio
];

export const kidneyDefinition: ServiceDefinition = {
  id: KIDNEY_SERVICE_ID,
  hook: 'patient-view',
  title: 'Kidney failure risk (KFRE) in CKD G3–G5',
  description:
    'For adults with CKD G3–G5: the 4-variable Kidney Failure Risk Equation at 2 and 5 years. Suggests a nephrology referral above the guideline thresholds when none is open, and a urine ACR when it is missing.',
  prefetch: {
    patient: patientPrefetch,
    conditions: allConditionsPrefetch,
    observations: loincObservationsPrefetch(OBSERVATION_CODES),
    serviceRequests: openResourcesPrefetch('ServiceRequest', ['active', 'on-hold', 'draft']),
  },
  usageRequirements:
    'Reads every Condition, past ones included (CKD, dialysis, transplant), eGFR/creatinine and urine ACR Observations, and open ServiceRequests (nephrology referral, urine ACR order). Site setting kfre-region: north_america (default) or other.',
};

export function kidneyService(deps: ServiceDeps): CdsService {
  const data = loadKidneyCards();
  const region = deps.settings[REGION];
  if (region !== undefined && region !== 'north_america' && region !== 'other')
    throw new CardDataError(
      `modelSettings.${REGION}: "${String(region)}" is not north_america or other (${KIDNEY_CARD_FILE} regions)`,
    );
  return { definition: kidneyDefinition, handle: (ctx) => handle(ctx, deps, data) };
}

async function handle(ctx: ServiceContext, deps: ServiceDeps, data: KidneyCards): Promise<ServiceResult> {
  const model = deps.models().get('kfre-4v');
  if (model === undefined) throw new Error('model kfre-4v is not loaded');
  const { resources, unavailable, incomplete } = patientData(ctx.prefetch);
  const fromSite = deps.settings[REGION] !== undefined;
  const settings = { [REGION]: data.defaultRegion, ...deps.settings };
  const run = await runModel(model, resources, { now: ctx.now, settings, valueSets: deps.valueSets });
  ctx.trace?.model(run);
  if (run.status === 'not-applicable') {
    ctx.trace?.notNeeded(`out of the KFRE population: ${run.reason}`);
    return { cards: [] };
  }
  const egfr = run.inputs['egfr_ml_min_1_73m2']?.value;
  if (typeof egfr !== 'number') {
    ctx.trace?.notNeeded('no usable eGFR: the CKD stage is unknown');
    return { cards: [] };
  }
  const stage = bandFor(data.stages, egfr);
  if (!data.eligibleStages.includes(stage.id)) {
    ctx.trace?.notNeeded(`CKD stage ${stage.id} (eGFR ${String(egfr)}) is not G3–G5`);
    return { cards: [] };
  }

  const patientId = ctx.request.context.patientId;
  const base = { ctx, deps, serviceId: KIDNEY_SERVICE_ID, patientRef: patientRef(patientId) };
  const orders = openOrders(data, resources);
  const caveats = [
    ...unavailable.map((u) => `${u.key} could not be read: ${u.reason}`),
    ...incomplete.map((k) => `${k}: only part of the results was read`),
  ];

  if (run.status === 'insufficient-data') {
    const uacr = run.inputs['uacr_mg_g'];
    const onlyAcrMissing =
      run.missing.length === 1 &&
      run.missing[0] === 'uacr_mg_g' &&
      uacr?.value === null &&
      uacr.flags.includes('missing');
    const unreadable = uacr?.flags.some((f) => f === 'unit-unknown' || f === 'uninterpretable') === true;
    const observationsUnknown = unavailable.some((u) => u.key === 'observations');
    if (!onlyAcrMissing || unreadable || observationsUnknown || orders.acr !== undefined) {
      ctx.trace?.notNeeded(
        orders.acr !== undefined
          ? 'urine ACR missing but an ACR order is already open'
          : observationsUnknown
            ? 'KFRE not estimated and the Observations could not be read'
            : unreadable
              ? 'urine ACR on file but unreadable (unit unknown or uninterpretable)'
              : `KFRE not estimated: ${run.reason}`,
        data.acr.cardId,
      );
      return { cards: [] };
    }
    if (deps.disabledCards.has(data.acr.cardId)) {
      ctx.trace?.switchedOff(data.acr.cardId);
      return { cards: [] };
    }
    const card = await emitCard(base, {
      key: `${data.acr.cardId}:stage=${stage.id}`,
      band: stage.id,
      parts: acrCard({ data, run, stage, patientId, caveats }),
      runs: [run],
    });
    return { cards: card === undefined ? [] : [card] };
  }

  const tier = kfreTier(data, run);
  if (tier !== undefined) ctx.trace?.model(run, tier.id);
  if (tier === undefined) {
    ctx.trace?.notNeeded('KFRE below every referral tier');
    return { cards: [] };
  }
  if (deps.disabledCards.has(tier.cardId)) {
    ctx.trace?.switchedOff(tier.cardId);
    return { cards: [] };
  }
  if (orders.referral !== undefined && tier.whenReferred === 'silent') {
    ctx.trace?.notNeeded(`tier ${tier.id}: a nephrology referral is already open`, tier.cardId);
    return { cards: [] };
  }
  const ckd = activeConditionsIn(resources, getValueSet(deps.valueSets, 'chronic-kidney-disease'))[0];
  const card = await emitCard(base, {
    key: `${tier.cardId}:tier=${tier.id}`,
    band: tier.id,
    parts: riskCard({
      data,
      tier,
      run,
      stage,
      region: { value: settings[REGION], fromSite },
      referral: orders.referral,
      acrOrder: orders.acr,
      patientId,
      ckdCondition: ckd === undefined ? undefined : referenceOf(ckd),
      caveats,
    }),
    runs: [run],
    findings: { stage: stage.id, tier: tier.id, openOrders: orders },
  });
  return { cards: card === undefined ? [] : [card] };
}
