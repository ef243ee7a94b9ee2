/**
 * Builds the scoring dependencies from the site's configuration, exactly as `src/main.ts` builds the
 * services: the same config file (`AUGUR_CONFIG`: model settings, card switches, service switches),
 * the same model folders (`AUGUR_MODELS_DIR`), the same service list. Each worker thread (and each
 * BullMQ worker) opens its own scorer: onnxruntime sessions are per thread.
 */
import { loadConfig } from '../config/load.js';
import { ServiceRegistry } from '../cds/registry.js';
import { createLogger } from '../log/logger.js';
import { loadModelRegistry } from '../models/registry.js';
import { modelDirs } from '../models/startup.js';
import { clinicalServices } from '../services/index.js';
import { serviceDeps } from '../services/deps.js';
import { checkEvaluable } from './ehr-prefetch.js';
import type { ScoreDeps } from './score-patient.js';

/** Serialisable (sent to worker threads): where the site's configuration and extra models are. */
export interface ScorerOptions {
  /** The site's config file (as `AUGUR_CONFIG`); absent: the embedded defaults. */
  configFile?: string;
  /** Extra model package folders (as `AUGUR_MODELS_DIR`). */
  modelsDir?: string;
}

export interface Scorer {
  deps: ScoreDeps;
  close(): Promise<void>;
}

export async function openScorer(options: ScorerOptions = {}): Promise<Scorer> {
  const env = {
    LOG_LEVEL: 'silent',
    ...(options.configFile === undefined ? {} : { AUGUR_CONFIG: options.configFile }),
    ...(options.modelsDir === undefined ? {} : { AUGUR_MODELS_DIR: options.modelsDir }),
  };
  const config = loadConfig(env);
  const log = createLogger({ level: 'silent' });
  const models = await loadModelRegistry({ dirs: modelDirs(env), onBroken: 'refuse-to-start', log });
  const all = clinicalServices(serviceDeps(config, models));
  const registry = new ServiceRegistry(all, config.services);
  const enabled = new Set(registry.definitions().map((d) => d.id));
  const services = all.filter((s) => s.definition.hook === 'patient-view' && enabled.has(s.definition.id));
  for (const s of services) checkEvaluable(s.definition.id, s.definition.prefetch);
  return {
    deps: {
      services,
      limits: config.limits,
      manifestOf: (id, version) => {
        const m = models.get(id)?.manifest;
        return m?.version === version ? m : undefined;
      },
      baseUrl: config.publicBaseUrl,
      log,
    },
    close: () => models.close(),
  };
}
