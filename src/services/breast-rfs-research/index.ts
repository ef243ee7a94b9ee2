/**
 * `augur-breast-rfs-research` (patient-view): the DeepSurv research reproduction
 * (models/deepsurv-rotterdam-gbsg) for a woman with breast cancer whose chart holds its seven inputs —
 * one informational card with recurrence-free survival at 1–10 years, the inputs that move it, and a
 * plain statement that it is not for treatment decisions. OFF by default (`defaultEnabled: false`): it is
 * registered only when a site sets `services["augur-breast-rfs-research"].enabled: true`.
 * Outside the population or with any input missing: no card. No suggestions, ever.
 */
import { z } from 'zod';
import { patientRef } from '../../audit/audit.js';
import {
  CardFileHeader,
  SourceSchema,
  cardsDir,
  loadCardFile,
  templateSchema,
  assertSummariesFit,
  render,
} from '../../cards/data.js';
import { percent, section, joinSections, topFactors, inputFlags } from '../../cards/build.js';
import { patientData } from '../../cards/resources.js';
import { runModel } from '../../cards/run-model.js';
import type { CdsService, ServiceContext, ServiceDefinition, ServiceResult } from '../../cds/service.js';
import { survivalCurve } from '../../models/survival.js';
import type { ServiceDeps } from '../deps.js';
import { emitCard, shortModelLine } from '../emit.js';
import { allConditionsPrefetch, openResourcesPrefetch, patientPrefetch } from '../prefetch.js';
import { join } from 'node:path';

export const BREAST_RFS_SERVICE_ID = 'augur-breast-rfs-research';
export const BREAST_RFS_MODEL_ID = 'deepsurv-rotterdam-gbsg';
export const BREAST_RFS_CARD_FILE = join(cardsDir(), 'breast-rfs-research.json');

const LOCAL = 'urn:augur:local';
const OBSERVATION_CODES = [
  'breast-tumour-size-mm',
  'breast-positive-lymph-nodes',
  'breast-progesterone-receptor-fmol',
  'breast-estrogen-receptor-fmol',
];

const CardFile = z
  .object({
    ...CardFileHeader,
    source: SourceSchema,
    cardId: z.string().regex(/^[a-z][a-z0-9-]*$/),
    summary: templateSchema(['rfs5', 'rfs10']),
    disclaimer: z.string().min(1),
    /** Years shown in the card's detail; each must be a horizon of the model's baseline hazard. */
    horizons: z.array(z.number().positive()).min(1),
    labels: z.record(z.string(), z.string().min(1)),
  })
  .strict();
type CardFile = z.infer<typeof CardFile>;

export const breastRfsDefinition: ServiceDefinition = {
  id: BREAST_RFS_SERVICE_ID,
  hook: 'patient-view',
  title: 'Recurrence-free survival after node-positive breast cancer (DeepSurv research reproduction)',
  description:
    'RESEARCH ONLY, off unless a site switches it on: recurrence-free survival at 1–10 years from a reproduction of DeepSurv (Katzman 2018) trained on 1978–1993 cohorts. Not for treatment decisions.',
  prefetch: {
    patient: patientPrefetch,
    conditions: allConditionsPrefetch,
    observations: {
      query: `Observation?patient={{context.patientId}}&code=${OBSERVATION_CODES.map((c) => `${LOCAL}|${c}`).join(',')}&_sort=-date`,
      required: false,
      onMissing: 'omit',
      allPages: true,
    },
    medicationRequests: openResourcesPrefetch('MedicationRequest', ['active', 'on-hold']),
  },
  usageRequirements:
    'Reads every Condition (breast cancer, postmenopausal state), site-local coded Observations (tumour size, positive nodes, receptor assays) and MedicationRequests (tamoxifen).',
};

export function breastRfsService(deps: ServiceDeps): CdsService {
  const data = loadCardFile(BREAST_RFS_CARD_FILE, CardFile);
  assertSummariesFit(BREAST_RFS_CARD_FILE, [
    ['summary', render(data.summary, { rfs5: '100.0 %', rfs10: '100.0 %' })],
  ]);
  return {
    definition: breastRfsDefinition,
    defaultEnabled: false,
    handle: (ctx) => handle(ctx, deps, data),
  };
}

async function handle(ctx: ServiceContext, deps: ServiceDeps, data: CardFile): Promise<ServiceResult> {
  const model = deps.models().get(BREAST_RFS_MODEL_ID);
  if (model === undefined) throw new Error(`model ${BREAST_RFS_MODEL_ID} is not loaded`);
  const spec = model.manifest.survival;
  if (spec === undefined) throw new Error(`model ${BREAST_RFS_MODEL_ID} has no survival block`);
  const { resources } = patientData(ctx.prefetch);
  const run = await runModel(model, resources, {
    now: ctx.now,
    settings: deps.settings,
    valueSets: deps.valueSets,
  });
  if (run.status !== 'ok' || deps.disabledCards.has(data.cardId)) return { cards: [] };
  const lp = run.outputs[spec.linearPredictor];
  if (lp === undefined) return { cards: [] };
  const curve = survivalCurve(spec, lp);
  const at = (years: number): number | undefined => curve.points.find((p) => p.time === years)?.survival;
  const rfs5 = at(5);
  const rfs10 = at(10);
  if (rfs5 === undefined || rfs10 === undefined)
    throw new Error(`${BREAST_RFS_MODEL_ID}: no 5- or 10-year horizon`);
  const rows = data.horizons.flatMap((y) => {
    const s = at(y);
    return s === undefined ? [] : [`${String(y)} y: ${percent(s)}`];
  });
  const card = await emitCard(
    { ctx, deps, serviceId: BREAST_RFS_SERVICE_ID, patientRef: patientRef(ctx.request.context.patientId) },
    {
      key: `${data.cardId}:band=research`,
      band: 'research',
      runs: [run],
      parts: {
        summary: render(data.summary, { rfs5: percent(rfs5), rfs10: percent(rfs10) }),
        indicator: 'info',
        source: data.source,
        detail: joinSections([
          `**${data.disclaimer}**`,
          section('Estimated recurrence-free survival', rows),
          section(
            'Inputs (largest effect on the log hazard first)',
            topFactors(run, spec.linearPredictor, data.labels, 4),
          ),
          section('Check', inputFlags(run.inputs, data.labels)),
          `Model: ${shortModelLine(run)}.`,
        ]),
      },
    },
  );
  return { cards: card === undefined ? [] : [card] };
}
