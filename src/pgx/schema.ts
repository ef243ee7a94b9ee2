/**
 * Schemas of the pharmacogenomics data files (`cards/pgx/*.json`): gene tables (allele → function or
 * activity value → phenotype), CPIC guideline rows (phenotype → recommendation + strength), the drug
 * list with its SCD/SBD → ingredient map and alternatives, code bindings and card wording.
 * Browser-safe (zod only): the side app validates the same JSON it imports. Citation, coding and
 * source come from src/cards/schemas.ts, shared with every card data file.
 */
import { z } from 'zod';
import { SITUATIONS } from '../cards/indicator-policy.js';
import { CitationSchema, CodingSchema, OverrideReasonsSchema, SourceSchema } from '../cards/schemas.js';

const id = z.string().regex(/^[a-z][a-z0-9-]*$/);
const isoDate = z.iso.date();
export const Citation = CitationSchema;
export const Coding = CodingSchema;
const Source = SourceSchema;
const Verification = z
  .object({ verified: z.array(z.string().min(1)), notVerified: z.array(z.string().min(1)) })
  .strict();
const header = {
  id,
  version: z.string().regex(/^\d+\.\d+\.\d+$/),
  citations: z.array(Citation).min(1),
};

export const ALLELE_FUNCTIONS = ['increased', 'normal', 'decreased', 'no'] as const;
const AlleleFunction = z.enum(ALLELE_FUNCTIONS);
const Examples = z.array(z.string().min(1)).min(1);

const hgnc = z.string().regex(/^HGNC:\d+$/);
/** An allele row (name and aliases); each method adds its function or activity value. */
const Allele = z.object({ name: z.string().min(1), aliases: z.array(z.string()).optional() });
/** A phenotype row (id, label, worked examples); each method adds how a diplotype reaches it. */
const Phenotype = z.object({ id, label: z.string().min(1), examples: Examples });

const FunctionPairGene = z
  .object({
    symbol: z.string().min(1),
    hgnc,
    method: z.literal('function-pair'),
    alleles: z.array(Allele.extend({ function: AlleleFunction }).strict()).min(1),
    phenotypes: z
      .array(Phenotype.extend({ pairs: z.array(z.tuple([AlleleFunction, AlleleFunction])).min(1) }).strict())
      .min(1),
  })
  .strict();

const ActivityScoreGene = z
  .object({
    symbol: z.string().min(1),
    hgnc,
    method: z.literal('activity-score'),
    /** Copy-number notation (`*1x2`) multiplies the allele's value (CYP2D6). */
    duplications: z.boolean().optional(),
    alleles: z.array(Allele.extend({ activity: z.number().min(0) }).strict()).min(1),
    phenotypes: z.array(Phenotype.extend({ min: z.number(), max: z.number().optional() }).strict()).min(1),
  })
  .strict();

const Vkorc1Gene = z
  .object({
    symbol: z.literal('VKORC1'),
    hgnc,
    method: z.literal('vkorc1'),
    phenotypes: z.array(Phenotype.extend({ id: z.enum(['G/G', 'A/G', 'A/A']) }).strict()).length(3),
  })
  .strict();

const CarrierGene = z
  .object({
    symbol: z.string().min(1),
    hgnc,
    method: z.literal('carrier'),
    /** The allele whose presence is the finding, at two-field resolution (e.g. `*57:01`). */
    allele: z.string().regex(/^\*\d+:\d+$/),
    phenotypes: z.array(Phenotype.extend({ id: z.enum(['positive', 'negative']) }).strict()).length(2),
  })
  .strict();

export const GeneTable = z.discriminatedUnion('method', [
  FunctionPairGene,
  ActivityScoreGene,
  Vkorc1Gene,
  CarrierGene,
]);
export type GeneTable = z.infer<typeof GeneTable>;

export const GenesFile = z
  .object({ ...header, date: isoDate, verification: Verification, genes: z.array(GeneTable).min(1) })
  .strict()
  .superRefine((f, ctx) => {
    f.genes.forEach((g, i) => {
      if (g.method !== 'activity-score') return;
      g.phenotypes.forEach((p, j) => {
        if (p.max !== undefined && p.max < p.min)
          ctx.addIssue({
            code: 'custom',
            path: ['genes', i, 'phenotypes', j, 'max'],
            message: 'max below min',
          });
      });
    });
  });
export type GenesFile = z.infer<typeof GenesFile>;

export const STRENGTHS = ['strong', 'moderate', 'optional', 'unconfirmed'] as const;
const Action = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('replace'), alternatives: z.array(id).min(1) }).strict(),
  z.object({ kind: z.literal('cancel') }).strict(),
  /** Dose reduction: `factor` pre-fills the suggested dose when the draft carries one. */
  z.object({ kind: z.literal('dose'), factor: z.number().gt(0).lt(1).optional() }).strict(),
]);
export type RowAction = z.infer<typeof Action>;

const Row = z
  .object({
    /** Gene symbol → phenotype ids; every listed gene must match. */
    when: z.record(z.string(), z.array(z.string().min(1)).min(1)),
    /** Gene symbol → activity scores the row is limited to (DPYD 1 vs 1.5). */
    scores: z.record(z.string(), z.array(z.number())).optional(),
    actionable: z.boolean(),
    /**
     * The situation a card for this row describes (cards/indicator-policy.json gives its indicator):
     * CPIC "avoid" → harm-if-given (critical), a strong "use another drug / adjust the dose" →
     * action-recommended (warning), a weaker one → action-to-consider (info).
     */
    situation: z.enum(SITUATIONS).optional(),
    /** A few words for the card summary, e.g. "use prasugrel or ticagrelor". */
    short: z.string().min(1).max(60).optional(),
    recommendation: z.string().min(1),
    strength: z.enum(STRENGTHS),
    action: Action.optional(),
  })
  .strict()
  .refine((r) => !r.actionable || (r.situation !== undefined && r.short !== undefined), {
    message: 'an actionable row needs situation and short',
  });
export type GuidelineRow = z.infer<typeof Row>;

const Guideline = z
  .object({
    drug: id,
    genes: z.array(z.string().min(1)).min(1),
    citation: Citation,
    guidelineVersion: z.string().min(1),
    guidelineDate: isoDate,
    source: Source,
    scope: z.string().min(1).optional(),
    /** What a test result would change (shown on the "no result on file" card). */
    test: z.string().min(1),
    rows: z.array(Row).min(1),
  })
  .strict();
export type Guideline = z.infer<typeof Guideline>;

export const GuidelinesFile = z
  .object({ ...header, date: isoDate, verification: Verification, guidelines: z.array(Guideline).min(1) })
  .strict();
export type GuidelinesFile = z.infer<typeof GuidelinesFile>;

const rxcode = z.string().regex(/^\d+$/);
export const DrugsFile = z
  .object({
    ...header,
    date: isoDate,
    system: z.literal('http://www.nlm.nih.gov/research/umls/rxnorm'),
    sources: z.record(z.string(), z.string().min(1)),
    drugs: z
      .array(z.object({ id, name: z.string().min(1), ingredient: rxcode, source: z.string() }).strict())
      .min(1),
    products: z
      .array(
        z
          .object({
            code: rxcode,
            display: z.string().min(1),
            tty: z.enum(['SCD', 'SBD']),
            ingredient: rxcode,
            source: z.string(),
          })
          .strict(),
      )
      .min(1),
    alternatives: z
      .array(
        z
          .object({
            id,
            code: rxcode,
            display: z.string().min(1),
            dosage: z.string().min(1),
            /** Label cautions the prescriber should see beside the suggestion. */
            caution: z.string().min(1).optional(),
            source: z.string(),
          })
          .strict(),
      )
      .min(1),
  })
  .strict()
  .superRefine((f, ctx) => {
    const check = (list: readonly { source: string }[], key: string): void => {
      list.forEach((e, i) => {
        if (!(e.source in f.sources))
          ctx.addIssue({
            code: 'custom',
            path: [key, i, 'source'],
            message: `"${e.source}" is not one of sources`,
          });
      });
    };
    check(f.drugs, 'drugs');
    check(f.products, 'products');
    check(f.alternatives, 'alternatives');
    const ingredients = new Set(f.drugs.map((d) => d.ingredient));
    f.products.forEach((p, i) => {
      if (!ingredients.has(p.ingredient))
        ctx.addIssue({
          code: 'custom',
          path: ['products', i, 'ingredient'],
          message: 'not a listed drug ingredient',
        });
    });
  });
export type DrugsFile = z.infer<typeof DrugsFile>;

export const BindingsFile = z
  .object({
    ...header,
    date: isoDate,
    verification: Verification,
    answers: z.array(z.object({ code: z.string().regex(/^LA\d+-\d$/), phenotype: id }).strict()).min(1),
    presence: z
      .object({ positive: z.array(z.string().min(1)).min(1), negative: z.array(z.string().min(1)).min(1) })
      .strict(),
    test: z.object({ procedure: Coding, geneCodes: z.record(z.string(), Coding) }).strict(),
  })
  .strict();
export type BindingsFile = z.infer<typeof BindingsFile>;

const template = z.string().min(1);
export const CardsFile = z
  .object({
    ...header,
    summaries: z
      .object({
        finding: template,
        untested: template,
        uninterpretable: template,
        unavailable: template,
        warfarin: template,
        warfarinNoEstimate: template,
        patientView: template,
      })
      .strict(),
    labels: z
      .object({
        replace: template,
        cancel: template,
        dose: template,
        test: template,
        cancelAction: template,
        createAction: template,
        replaceAction: template,
        doseAction: template,
        testAction: template,
      })
      .strict(),
    strengthWords: z
      .object({ strong: template, moderate: template, optional: template, unconfirmed: template })
      .strict(),
    overrideReasons: z
      .object({
        finding: OverrideReasonsSchema,
        test: OverrideReasonsSchema,
        warfarin: OverrideReasonsSchema,
      })
      .strict(),
    warfarin: z
      .object({
        caveats: z.object({ black: template, unknown: template, other: template }).strict(),
        always: template,
        labels: z.record(z.string(), z.string().min(1)),
      })
      .strict(),
  })
  .strict();
export type CardsFile = z.infer<typeof CardsFile>;
