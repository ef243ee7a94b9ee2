/**
 * The model registry: every package under the configured folders, loaded and checked once at start-up.
 * A broken package is never silent: it is logged (file + reason) and either stops start-up
 * (`refuse-to-start`) or is left out and listed in `registry.broken` (`skip`).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { PackageError } from './manifest-file.js';
import { loadPackage, manifestFileIn } from './package.js';
import type { BrokenPackage, LoadedModel, ModelRegistry } from './types.js';

export interface LoadModelRegistryOptions {
  /** Folders whose sub-folders are model packages (built-ins first, then site folders). */
  dirs: readonly string[];
  onBroken: 'refuse-to-start' | 'skip';
  log: Logger;
}

/** Start-up refused: at least one package is broken. The message lists each file and reason. */
export class ModelRegistryError extends Error {
  override name = 'ModelRegistryError';
  constructor(readonly broken: readonly BrokenPackage[]) {
    super(
      `${broken.length} broken model package(s):\n${broken.map((b) => `  ${b.file}: ${b.reason}`).join('\n')}`,
    );
  }
}

function packageDirs(root: string): { dirs: string[]; broken: BrokenPackage[] } {
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    return { dirs: [], broken: [{ dir: root, file: root, reason: 'models directory does not exist' }] };
  }
  const dirs = readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => join(root, e.name))
    .filter((d) => manifestFileIn(d) !== undefined)
    .sort();
  return { dirs, broken: [] };
}

function asBroken(dir: string, e: unknown): BrokenPackage {
  if (e instanceof PackageError) return { dir, file: e.file, reason: e.reason };
  return {
    dir,
    file: dir,
    reason: `unexpected error: ${e instanceof Error ? e.message.slice(0, 300) : 'unknown'}`,
  };
}

class Registry implements ModelRegistry {
  readonly #models: ReadonlyMap<string, LoadedModel>;
  constructor(
    models: readonly LoadedModel[],
    readonly broken: readonly BrokenPackage[],
  ) {
    this.#models = new Map(
      [...models].sort((a, b) => a.manifest.id.localeCompare(b.manifest.id)).map((m) => [m.manifest.id, m]),
    );
  }
  list(): readonly LoadedModel[] {
    return [...this.#models.values()];
  }
  get(id: string): LoadedModel | undefined {
    return this.#models.get(id);
  }
  async close(): Promise<void> {
    await Promise.all(this.list().map((m) => m.close()));
  }
}

/** Keeps the first package per id; later ones are broken (an id must name one model). */
function dedupe(loaded: readonly LoadedModel[], broken: BrokenPackage[]): LoadedModel[] {
  const byId = new Map<string, LoadedModel>();
  for (const m of loaded) {
    const first = byId.get(m.manifest.id);
    if (first === undefined) byId.set(m.manifest.id, m);
    else
      broken.push({
        dir: m.dir,
        file: manifestFileIn(m.dir) ?? m.dir,
        reason: `id: "${m.manifest.id}" is already served from ${first.dir}`,
      });
  }
  return [...byId.values()];
}

/**
 * Loads every package under `dirs`: validates each manifest, checks the ONNX file's sha256 and the
 * session's inputs/outputs against the manifest, opens one session per model and warms it up.
 * @throws ModelRegistryError with `onBroken: 'refuse-to-start'` when any package is broken.
 */
export async function loadModelRegistry(options: LoadModelRegistryOptions): Promise<ModelRegistry> {
  const { log } = options;
  const started = performance.now();
  const found = options.dirs.map((d) => packageDirs(resolve(d)));
  const broken = found.flatMap((f) => f.broken);
  const dirs = found.flatMap((f) => f.dirs);
  const results = await Promise.allSettled(dirs.map((dir) => loadPackage(dir)));
  const loaded: LoadedModel[] = [];
  results.forEach((r, i) => {
    if (r.status === 'fulfilled') loaded.push(r.value);
    else broken.push(asBroken(dirs[i] ?? '', r.reason));
  });
  const models = dedupe(loaded, broken);
  const duplicates = loaded.filter((m) => !models.includes(m));
  await Promise.all(duplicates.map((m) => m.close()));
  for (const b of broken)
    log.error({ component: 'models', file: b.file, reason: b.reason }, 'broken model package');
  if (broken.length > 0 && options.onBroken === 'refuse-to-start') {
    await Promise.all(models.map((m) => m.close()));
    throw new ModelRegistryError(broken);
  }
  for (const m of models) {
    log.info(
      { component: 'models', modelId: m.manifest.id, version: m.manifest.version, file: m.dir },
      'model loaded',
    );
  }
  const durationMs = Math.round(performance.now() - started);
  log.info({ component: 'models', count: models.length, durationMs }, 'model registry ready');
  return new Registry(models, broken);
}
