/**
 * What every CDS service is built from: the model registry (503 while loading), the value sets, the
 * site's model settings and card policy, and where the side app launches. Built once at start-up.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config, ReplaceStyle } from '../config/schema.js';
import { repoRoot } from '../config/paths.js';
import type { Settings } from '../features/types.js';
import { loadValueSets, type ValueSetIndex } from '../features/valuesets.js';
import { currentRegistry, type RegistrySource } from '../models/startup.js';
import type { ModelRegistry } from '../models/types.js';
import type { SuppressionPolicy } from '../cards/suppression.js';

export interface ServiceDeps {
  /** The loaded models; throws HttpError 503 while they are still loading. */
  models: () => ModelRegistry;
  valueSets: ValueSetIndex;
  settings: Settings;
  suppression: SuppressionPolicy;
  /** Card ids switched off by the site. */
  disabledCards: ReadonlySet<string>;
  resultTtlMs: number;
  /** The side app's launch URL (cards' `smart` links). */
  smartLaunchUrl: string;
  /** How "replace the drug" suggestions are expressed (`suggestions.replaceStyle`). */
  replaceStyle: ReplaceStyle;
  /** Order-select → order-sign de-duplication window (`orderSession.windowHours`), in ms. */
  orderSessionMs: number;
}

/** The built-in value sets (models/valuesets.json) with the RxNorm ingredient index. */
export function builtInValueSets(root: string = repoRoot()): ValueSetIndex {
  const read = (name: string): unknown => JSON.parse(readFileSync(join(root, 'models', name), 'utf8'));
  return loadValueSets(read('valuesets.json'), { rxnormIngredients: read('rxnorm-ingredients.json') });
}

export function serviceDeps(
  config: Config,
  models: RegistrySource,
  valueSets = builtInValueSets(),
): ServiceDeps {
  return {
    models: () => currentRegistry(models),
    valueSets,
    settings: config.modelSettings,
    suppression: { overrideDays: config.cards.overrideSuppressionDays },
    disabledCards: new Set(config.cards.disabled),
    resultTtlMs: config.cards.resultTtlHours * 3_600_000,
    smartLaunchUrl: config.smartLaunchUrl ?? `${config.publicBaseUrl}/smart-launch/launch.html`,
    replaceStyle: config.suggestions.replaceStyle,
    orderSessionMs: config.orderSession.windowHours * 3_600_000,
  };
}
