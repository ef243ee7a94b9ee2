/**
 * The atrial-fibrillation card data (`cards/atrial-fibrillation.json`): thresholds, wording, the
 * apixaban dose rule and its inputs, the HAS-BLED modifiable factors, override reasons — each with its
 * citation. Validated when the service is built: an error names the file and the field.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { SITUATIONS } from '../../cards/indicator-policy.js';
import {
  CardFileHeader,
  CardDataError,
  CodingSchema,
  OverrideReasonsSchema,
  SourceSchema,
  cardsDir,
  loadCardFile,
  templateSchema,
  assertSummariesFit,
  render,
} from '../../cards/data.js';
import { getValueSet, type ValueSetIndex } from '../../features/valuesets.js';
import { InputSpec } from '../../models/manifest.js';

const cardId = z.string().regex(/^[a-z][a-z0-9-]*$/);
const bySex = z.object({ male: z.number().int().min(0), female: z.number().int().min(0) }).strict();
const labels = z.record(z.string(), z.string().min(1));

/** A template and the placeholders the service fills in it (checked at load). */

const Band = z
  .object({
    /** The card's situation; its indicator follows from cards/indicator-policy.json. */
    situation: z.enum(SITUATIONS),
    summary: templateSchema(['score']),
    meaning: templateSchema(['threshold', 'sexWord']),
    isRecommended: z.boolean(),
  })
  .strict();

const Dose = z
  .object({
    product: CodingSchema,
    doseMg: z.number().positive(),
    timesPerDay: z.number().int().positive(),
    doseText: z.string().min(1),
  })
  .strict();

export const AfCardFile = z
  .object({
    ...CardFileHeader,
    indicatorRationale: z.string().min(1),
    /** The card's last line: where the rest (every criterion, citations) is. */
    moreInApp: z.string().min(1),
    criteria: z.object({ 'cha2ds2-vasc': labels, 'has-bled': labels }).strict(),
    anticoagulation: z
      .object({
        cardId,
        source: SourceSchema,
        thresholds: z
          .object({ recommended: bySex, considered: bySex })
          .strict()
          .refine(
            (t) => t.considered.male < t.recommended.male && t.considered.female < t.recommended.female,
            'considered thresholds must be below the recommended ones',
          ),
        bands: z.object({ recommended: Band, considered: Band }).strict(),
        strokeRate: templateSchema(['rate']),
        overrideReasons: OverrideReasonsSchema,
      })
      .strict(),
    apixaban: z
      .object({
        ingredient: CodingSchema,
        standard: Dose,
        reduced: Dose,
        route: CodingSchema,
        reduction: z
          .object({
            ageYearsAtLeast: z.number().positive(),
            weightKgAtMost: z.number().positive(),
            creatinineMgDlAtLeast: z.number().positive(),
            criteriaNeeded: z.number().int().min(1).max(3),
            citation: z.string().min(1),
          })
          .strict(),
        noDose: z
          .object({
            creatinineMgDlAbove: z.number().positive(),
            conditionValueSets: z.array(z.string().min(1)),
            citation: z.string().min(1),
          })
          .strict(),
        doseInputs: z.array(InputSpec).superRefine((specs, ctx) => {
          const names = specs.map((s) => s.name).sort();
          if (names.join() !== 'creatinine_mg_dl,weight_kg')
            ctx.addIssue({ code: 'custom', message: 'expected the inputs weight_kg and creatinine_mg_dl' });
        }),
        labels: z.object({ dosed: templateSchema(['dose']), review: templateSchema([]) }).strict(),
        descriptions: z
          .object({ dosed: templateSchema(['product', 'doseText']), review: templateSchema(['why']) })
          .strict(),
      })
      .strict(),
    bleeding: z
      .object({
        cardId,
        source: SourceSchema,
        highRiskAtLeast: z.number().int().min(1),
        modifiable: labels,
        situation: z.enum(SITUATIONS),
        summary: templateSchema(['score', 'factors']),
        notAReason: z.string().min(1),
        overrideReasons: OverrideReasonsSchema,
      })
      .strict(),
  })
  .strict();
export type AfCards = z.infer<typeof AfCardFile>;

export const AF_CARD_FILE = 'atrial-fibrillation.json';

/** Loads and validates the card data, and checks the value sets it names exist. */
export function loadAfCards(valueSets: ValueSetIndex, file = join(cardsDir(), AF_CARD_FILE)): AfCards {
  const data = loadCardFile(file, AfCardFile);
  const named = [
    ...data.apixaban.noDose.conditionValueSets.map((id, i) => [
      `apixaban.noDose.conditionValueSets[${i}]`,
      id,
    ]),
    ...data.apixaban.doseInputs.flatMap((s, i) =>
      'valueSet' in s.fhir ? [[`apixaban.doseInputs[${i}].fhir.valueSet`, s.fhir.valueSet]] : [],
    ),
  ];
  const longest: [string, string][] = [
    ...(['recommended', 'considered'] as const).map((b): [string, string] => [
      `anticoagulation.bands.${b}.summary`,
      render(data.anticoagulation.bands[b].summary, { score: 9 }),
    ]),
    [
      'bleeding.summary',
      render(data.bleeding.summary, {
        score: 9,
        factors: Object.values(data.bleeding.modifiable).join(', '),
      }),
    ],
  ];
  assertSummariesFit(file, longest);
  for (const [field, id] of named) {
    try {
      getValueSet(valueSets, id ?? '');
    } catch {
      throw new CardDataError(`${file}: ${field ?? ''}: unknown value set "${id ?? ''}"`);
    }
  }
  return data;
}
