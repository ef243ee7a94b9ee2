/** The SMART side app's server side: the static app with its CSP and launch settings, and the results API. */
import type { Router } from 'express';
import type { Logger } from 'pino';
import type { RateLimiter } from '../auth/rate-limit.js';
import type { Config } from '../config/schema.js';
import type { RegistrySource } from '../models/startup.js';
import type { Store } from '../store/types.js';
import { resultsRouter } from './results.js';
import { staticAppRouter } from './static.js';

export interface SmartRoutersDeps {
  config: Pick<Config, 'smartApp' | 'modelSettings' | 'publicBaseUrl'>;
  store: Store;
  limiter: RateLimiter;
  models: RegistrySource;
  log: Logger;
  now?: () => Date;
  /** The built app folder (defaults to dist/smart-launch). */
  appDir?: string;
}

export function smartRouters(d: SmartRoutersDeps): Router[] {
  const now = d.now ?? (() => new Date());
  return [
    staticAppRouter({
      config: d.config,
      models: d.models,
      log: d.log,
      ...(d.appDir === undefined ? {} : { dir: d.appDir }),
    }),
    resultsRouter({
      store: d.store,
      limiter: d.limiter,
      perIpPerMinute: d.config.smartApp.resultsPerIpPerMinute,
      now,
      fhir: { models: d.models, publicBaseUrl: d.config.publicBaseUrl },
    }),
  ];
}
