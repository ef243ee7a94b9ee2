/**
 * Real clinical services for end-to-end tests: the built-in model registry (loaded once per test file)
 * and service deps built from the test app's validated config, exactly as `src/main.ts` builds them.
 */
import { loadModelRegistry } from '../../src/models/registry.js';
import { builtInModelsDir } from '../../src/models/startup.js';
import type { ModelRegistry } from '../../src/models/types.js';
import type { CdsService } from '../../src/cds/service.js';
import { serviceDeps, type ServiceDeps } from '../../src/services/deps.js';
import { startTestApp, type TestApp, type TestAppOptions } from './app.js';
import { testLogger } from './logs.js';

let registry: Promise<ModelRegistry> | undefined;

/** The built-in models, loaded and checked once per test file (warm-up included). */
export function builtInModels(): Promise<ModelRegistry> {
  registry ??= loadModelRegistry({
    dirs: [builtInModelsDir()],
    onBroken: 'refuse-to-start',
    log: testLogger(),
  });
  return registry;
}

export interface ServiceApp extends TestApp {
  deps: ServiceDeps;
}

/**
 * A test app serving `build(deps)`, with deps from the app's config (card policy, model settings,
 * smart launch URL) and the built-in registry.
 */
export async function startServiceApp(
  build: (deps: ServiceDeps) => readonly CdsService[],
  options: Omit<TestAppOptions, 'services'> = {},
): Promise<ServiceApp> {
  const models = await builtInModels();
  let deps: ServiceDeps | undefined;
  const app = await startTestApp({
    ...options,
    services: (config) => {
      deps = serviceDeps(config, models);
      return build(deps);
    },
  });
  if (deps === undefined) throw new Error('services were not built');
  return { ...app, deps };
}
