/**
 * A model package's `development-distribution.json`: each input's distribution in the population the
 * model was developed on, as bins with proportions, with where the numbers come from (the drift
 * monitor's reference; src/monitoring/README.md). Numeric inputs: ascending cut points, bins closed
 * on the right — bin 0 is `x ≤ edges[0]`, bin i is `edges[i-1] < x ≤ edges[i]`, the last `x > edges[last]`.
 * Categorical and boolean inputs: one proportion per category (`"true"` / `"false"` for booleans).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { Citation, type ModelManifest } from '../models/manifest.js';
import { PackageError, readPackageJson } from '../models/manifest-file.js';

export const DEVELOPMENT_DISTRIBUTION_FILE = 'development-distribution.json';

/** Proportions are rounded in the file; their sum must be 1 within this. */
const SUM_TOLERANCE = 0.002;

const sumsToOne = (ps: readonly number[]): boolean =>
  Math.abs(ps.reduce((a, b) => a + b, 0) - 1) <= SUM_TOLERANCE;

const NumericBins = z
  .object({
    edges: z.array(z.number()).min(1),
    proportions: z.array(z.number().min(0).max(1)),
  })
  .strict()
  .refine((b) => b.edges.every((e, i) => i === 0 || e > (b.edges[i - 1] ?? -Infinity)), {
    message: 'edges must be strictly ascending',
  })
  .refine((b) => b.proportions.length === b.edges.length + 1, {
    message: 'proportions must have one more entry than edges',
  })
  .refine((b) => sumsToOne(b.proportions), { message: 'proportions must sum to 1' });

const CategoryBins = z
  .object({ categories: z.record(z.string().min(1), z.number().min(0).max(1)) })
  .strict()
  .refine((b) => Object.keys(b.categories).length >= 2, { message: 'at least two categories' })
  .refine((b) => sumsToOne(Object.values(b.categories)), { message: 'proportions must sum to 1' });

export const InputBins = z.union([NumericBins, CategoryBins]);
export type InputBins = z.infer<typeof InputBins>;

export const DevelopmentDistribution = z
  .object({
    modelId: z.string().min(1),
    /** The model version these bins describe: production counts of other versions are not compared. */
    modelVersion: z.string().min(1),
    /** The development population in words, with its size. */
    population: z.string().min(1),
    /** How the proportions were obtained (training data counts, or a stated approximation of a table). */
    method: z.string().min(1),
    citations: z.array(Citation).min(1),
    inputs: z.record(z.string().min(1), InputBins),
    /** Inputs deliberately without bins, each with the reason. */
    notBinned: z.record(z.string().min(1), z.string().min(1)).optional(),
  })
  .strict();
export type DevelopmentDistribution = z.infer<typeof DevelopmentDistribution>;

/**
 * The package's development distribution, or undefined when it ships none.
 * @throws PackageError naming the file: invalid JSON or schema, another model's id or version, or an
 * input the manifest does not have.
 */
export function readDevelopmentDistribution(
  dir: string,
  manifest: Pick<ModelManifest, 'id' | 'version' | 'inputs'>,
): DevelopmentDistribution | undefined {
  const file = join(dir, DEVELOPMENT_DISTRIBUTION_FILE);
  if (!existsSync(file)) return undefined;
  const d = readPackageJson(file, DevelopmentDistribution);
  if (d.modelId !== manifest.id) throw new PackageError(file, `modelId ${d.modelId} is not ${manifest.id}`);
  if (d.modelVersion !== manifest.version)
    throw new PackageError(file, `modelVersion ${d.modelVersion} is not the manifest's ${manifest.version}`);
  const names = new Set(manifest.inputs.map((i) => i.name));
  const unknown = [...Object.keys(d.inputs), ...Object.keys(d.notBinned ?? {})].filter((n) => !names.has(n));
  if (unknown.length > 0) throw new PackageError(file, `inputs not in the manifest: ${unknown.join(', ')}`);
  return d;
}
