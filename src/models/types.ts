/**
 * The shapes shared by the model platform: a loaded model, the batch-evaluate callback the pure core
 * runs on, and the registry the HTTP layer reads.
 */
import type { ModelManifest } from './manifest.js';
import type { AdditiveScale } from './explain/scales.js';
import type { ResolvedSourceAttributes } from '../transparency/resolve.js';

/** A model input value as the API receives it (booleans are JSON booleans, enums are listed strings). */
export type InputValue = number | boolean | string;

/**
 * Runs the model on `n` rows of encoded inputs (row-major, `n × k`, manifest column order) and returns
 * one array of length `n` per manifest output, in manifest order. The only I/O the core sees.
 */
export type BatchRun = (rows: Float64Array, n: number) => Promise<Float64Array[]>;

export interface LoadedModel {
  readonly manifest: ModelManifest;
  /** The package folder (for logs and the model card's provenance). */
  readonly dir: string;
  readonly run: BatchRun;
  /** The reference profile (`explanation.reference`) encoded as one row. */
  readonly reference: Float64Array;
  /** The reference profile's input values after the missing-value policies (null = missing). */
  readonly referenceValues: Readonly<Record<string, InputValue | null>>;
  /** Per output, in manifest order: the transform to its additive scale. */
  readonly scales: readonly AdditiveScale[];
  /** The HTI-1 source attributes (src/transparency), with any that are missing listed by name. */
  readonly sourceAttributes: ResolvedSourceAttributes;
  /** The verified `explanation.interactions` as column bitmasks, and per output whether it is covered. */
  readonly interactions?: { readonly masks: readonly number[]; readonly outputs: readonly boolean[] };
  close(): Promise<void>;
}

/** A package that failed to load: the file at fault and why (no PHI can be here: it is package data). */
export interface BrokenPackage {
  readonly dir: string;
  readonly file: string;
  readonly reason: string;
}

export interface ModelRegistry {
  /** Loaded models, sorted by id. */
  list(): readonly LoadedModel[];
  get(id: string): LoadedModel | undefined;
  /** Packages that were skipped (`onBroken: 'skip'`); empty otherwise. */
  readonly broken: readonly BrokenPackage[];
  /** Releases every ONNX session. */
  close(): Promise<void>;
}

export type InputWarningCode = 'defaulted' | 'missing' | 'out-of-range' | 'clamped';

export interface InputWarning {
  input: string;
  code: InputWarningCode;
  message: string;
}
