/**
 * Which models the app lists — the rule, in one pure module:
 *
 * 1. The risk models the card services run (`CARD_MODELS`: cards/cardiovascular.json and
 *    cards/atrial-fibrillation.json name theirs; the kidney service runs KFRE). Each is listed, and
 *    when its population check fails the app says why it does not apply.
 * 2. The IWPC warfarin dose estimate only while warfarin is active or ordered: a draft or active
 *    MedicationRequest whose RxNorm code is warfarin or a product of it (value set
 *    `medication-warfarin`, through the features module's value-set index).
 * 3. Never a model whose manifest `kind` is `learned`: the site configuration has no list of learned
 *    models to show, so none is shown.
 * 4. The models behind the card that launched the app come first (and are listed even if rule 2
 *    would not list them — a warfarin card's draft order may not be in the FHIR record yet), except
 *    a learned model.
 *
 * Any other model (e.g. a site's extra model package no card uses) is not listed.
 */
import type { FhirResource, MedicationRequest } from 'fhir/r4.js';
import { conceptInValueSet, type CompiledValueSet } from '../../../src/features/valuesets.js';
import { conceptsOf } from '../../../src/pgx/drugs.js';
import type { ModelCard } from './types.js';

/** The risk models the clinical card services run, in the order the app shows them. */
export const CARD_MODELS = [
  'ascvd-pce-10y',
  'prevent-10y',
  'prevent-30y',
  'kfre-4v',
  'cha2ds2-vasc',
  'has-bled',
] as const;

export const WARFARIN_MODEL = 'iwpc-warfarin';
export const WARFARIN_VALUE_SET = 'medication-warfarin';

/** Warfarin the patient is on or about to start: the order that says so. */
export interface WarfarinUse {
  status: 'active' | 'draft';
  /** `MedicationRequest/<id>`. */
  source: string | undefined;
}

const ORDER_STATUSES = new Set(['active', 'draft']);

/** The first draft or active MedicationRequest for warfarin (by RxNorm code), if any. */
export function warfarinUse(
  resources: readonly FhirResource[],
  warfarin: CompiledValueSet,
): WarfarinUse | undefined {
  const order = resources.find(
    (r): r is MedicationRequest =>
      r.resourceType === 'MedicationRequest' &&
      ORDER_STATUSES.has(r.status) &&
      conceptsOf(r, resources).some((c) => conceptInValueSet(c, warfarin)),
  );
  if (order === undefined) return undefined;
  return {
    status: order.status === 'draft' ? 'draft' : 'active',
    source: order.id === undefined ? undefined : `MedicationRequest/${order.id}`,
  };
}

export interface Omitted {
  model: ModelCard;
  reason: string;
  /** Shown to the clinician (IWPC without warfarin); learned and unused models are left out quietly. */
  mention: boolean;
}

export interface Selection {
  /** Models to compute and show, in display order. */
  listed: ModelCard[];
  omitted: Omitted[];
}

export interface SelectionContext {
  /** Model ids of the stored result behind the card that launched the app. */
  cardModelIds?: readonly string[];
  warfarin: WarfarinUse | undefined;
}

export function selectModels(models: readonly ModelCard[], ctx: SelectionContext): Selection {
  const rank = (m: ModelCard): number => {
    const fromCard = ctx.cardModelIds?.indexOf(m.id) ?? -1;
    if (fromCard >= 0) return fromCard;
    const card = (CARD_MODELS as readonly string[]).indexOf(m.id);
    return 100 + (card >= 0 ? card : CARD_MODELS.length);
  };
  const listed: ModelCard[] = [];
  const omitted: Omitted[] = [];
  for (const model of models) {
    if (model.kind === 'learned') {
      omitted.push({ model, reason: 'a learned model (the site lists none for the app)', mention: false });
    } else if (ctx.cardModelIds?.includes(model.id) === true) {
      listed.push(model);
    } else if (model.id === WARFARIN_MODEL) {
      if (ctx.warfarin !== undefined) listed.push(model);
      else
        omitted.push({
          model,
          reason: 'shown only when warfarin is active or ordered; no active or draft warfarin order found',
          mention: true,
        });
    } else if ((CARD_MODELS as readonly string[]).includes(model.id)) {
      listed.push(model);
    } else {
      omitted.push({ model, reason: 'not used by any card service', mention: false });
    }
  }
  listed.sort((a, b) => rank(a) - rank(b));
  return { listed, omitted };
}
