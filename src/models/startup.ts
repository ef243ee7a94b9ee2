/**
 * Start-up wiring for the registry: which folders to load (built-ins plus `AUGUR_MODELS_DIR`) and a
 * readiness handle, so the app can answer 503 until every package is loaded and checked.
 */
import { delimiter, join, resolve } from 'node:path';
import { HttpError } from '../http/errors.js';
import { repoRoot } from '../config/paths.js';
import { loadModelRegistry, type LoadModelRegistryOptions } from './registry.js';
import type { ModelRegistry } from './types.js';

/** The repository's `models/` folder (found from this file, in src/ or in dist/). */
export function builtInModelsDir(from: string = import.meta.dirname): string {
  return join(repoRoot(from), 'models');
}

/**
 * Built-in folder first, then each folder in `AUGUR_MODELS_DIR` (a list separated by the platform's
 * path delimiter, `:` on POSIX; relative paths resolve against the working directory). Each listed
 * folder holds one sub-folder per model package, served like the built-ins.
 */
export function modelDirs(
  env: Readonly<Record<string, string | undefined>>,
  builtIn: string = builtInModelsDir(),
): string[] {
  const extra = (env['AUGUR_MODELS_DIR'] ?? '')
    .split(delimiter)
    .map((d) => d.trim())
    .filter((d) => d !== '')
    .map((d) => resolve(d));
  return [builtIn, ...extra.filter((d) => d !== builtIn)];
}

/** Loading in progress or done: `ready` is false (→ readiness 503) until the registry is loaded. */
export interface ModelRegistryHandle {
  readonly ready: boolean;
  readonly current: ModelRegistry | undefined;
  /** Set when loading failed (e.g. ModelRegistryError with `refuse-to-start`). */
  readonly error: Error | undefined;
  /** Resolves with the registry; rejects when start-up must stop. */
  readonly loaded: Promise<ModelRegistry>;
}

/** Starts loading in the background and returns the readiness handle. */
export function startModelRegistry(options: LoadModelRegistryOptions): ModelRegistryHandle {
  let current: ModelRegistry | undefined;
  let error: Error | undefined;
  const loaded = loadModelRegistry(options);
  loaded.then(
    (r) => (current = r),
    (e: unknown) => (error = e instanceof Error ? e : new Error(String(e))),
  );
  return {
    get ready() {
      return current !== undefined;
    },
    get current() {
      return current;
    },
    get error() {
      return error;
    },
    loaded,
  };
}

export type RegistrySource = ModelRegistry | ModelRegistryHandle;

/** The loaded registry; while loading (or after a failed load) an HttpError 503 with Retry-After. */
export function currentRegistry(source: RegistrySource): ModelRegistry {
  if (!('ready' in source)) return source;
  if (source.current !== undefined) return source.current;
  const why = source.error === undefined ? 'models are still loading' : 'the model registry failed to load';
  throw new HttpError(503, { code: 'transient', diagnostics: why }, { 'Retry-After': '5' });
}
