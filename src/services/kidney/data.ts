/**
 * The kidney card data (`cards/kidney.json`): CKD stages by eGFR, the KFRE tiers (5-year > 5 % referral,
 * 2-year > 10 % multidisciplinary care, 2-year > 40 % KRT planning) with their wording, the nephrology
 * referral and urine ACR order templates, override reasons — each with its citation. Validated when the
 * service is built: an error names the file and the field.
 */
import { join } from 'node:path';
import { z } from 'zod';
import {
  CardFileHeader,
  CodingSchema,
  OverrideReasonsSchema,
  SourceSchema,
  bandsSchema,
  cardsDir,
  loadCardFile,
  templateSchema,
  assertSummariesFit,
  render,
} from '../../cards/data.js';

const cardId = z.string().regex(/^[a-z][a-z0-9-]*$/);

const Tier = z
  .object({
    id: cardId,
    cardId,
    output: z.enum(['risk_2y', 'risk_5y']),
    /** Strictly above this fraction (the guidelines say "greater than"). */
    above: z.number().gt(0).lt(1),
    summary: templateSchema(['risk2y', 'risk5y']),
    meaning: z.string().min(1),
    /** With a nephrology referral already on file: still show the card, or stay silent. */
    whenReferred: z.enum(['card', 'silent']),
  })
  .strict();

export const KidneyCardFile = z
  .object({
    ...CardFileHeader,
    source: SourceSchema,
    stages: bandsSchema,
    eligibleStages: z.array(z.string().min(1)).min(1),
    labels: z.record(z.string(), z.string().min(1)),
    regions: z.object({ north_america: z.string().min(1), other: z.string().min(1) }).strict(),
    defaultRegion: z.enum(['north_america', 'other']),
    /** Most severe first: the first tier whose threshold is exceeded is the card. */
    tiers: z.array(Tier).min(1),
    referredSuffix: z.string().min(1),
    /** The card's last line: where the rest (inputs, citation, limitations) is. */
    moreInApp: z.string().min(1),
    referral: z
      .object({
        codes: z.array(CodingSchema).min(1),
        textPattern: z.string().min(1),
        order: CodingSchema,
        category: CodingSchema,
        label: z.string().min(1),
        description: templateSchema(['risk2y', 'risk5y']),
      })
      .strict(),
    acr: z
      .object({
        cardId,
        codes: z.array(CodingSchema).min(1),
        order: CodingSchema,
        category: CodingSchema,
        summary: templateSchema(['egfr', 'stage']),
        meaning: z.string().min(1),
        label: z.string().min(1),
        description: z.string().min(1),
      })
      .strict(),
    overrideReasons: OverrideReasonsSchema,
  })
  .strict()
  .superRefine((d, ctx) => {
    d.eligibleStages.forEach((s, i) => {
      if (!d.stages.some((b) => b.id === s))
        ctx.addIssue({ code: 'custom', path: ['eligibleStages', i], message: `no stage "${s}"` });
    });
    try {
      new RegExp(d.referral.textPattern, 'i');
    } catch {
      ctx.addIssue({
        code: 'custom',
        path: ['referral', 'textPattern'],
        message: 'not a regular expression',
      });
    }
  });
export type KidneyCards = z.infer<typeof KidneyCardFile>;
export type KfreTier = KidneyCards['tiers'][number];

export const KIDNEY_CARD_FILE = 'kidney.json';

export function loadKidneyCards(file = join(cardsDir(), KIDNEY_CARD_FILE)): KidneyCards {
  const data = loadCardFile(file, KidneyCardFile);
  const risk = { risk2y: '100.0 %', risk5y: '100.0 %' };
  const stage = data.stages.map((s) => s.label).reduce((a, b) => (b.length > a.length ? b : a), '');
  const longest: [string, string][] = [
    ...data.tiers.map((t, i): [string, string] => [
      `tiers[${String(i)}].summary`,
      `${render(t.summary, risk)}${t.whenReferred === 'card' ? data.referredSuffix : ''}`,
    ]),
    ['acr.summary', render(data.acr.summary, { egfr: '59', stage })],
  ];
  assertSummariesFit(file, longest);
  return data;
}
