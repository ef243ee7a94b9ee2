/**
 * `createApp(config, deps)` builds Augur's HTTP application without listening. The middleware order
 * reads like the life of a request: security headers → request context → CORS → 405 for a known path
 * with the wrong method → health → CDS Hooks
 * routes → model API → 404 → the one error handler.
 */
import express, { type Express, type Router } from 'express';
import type { Logger } from 'pino';
import type { Config } from './config/schema.js';
import type { Store } from './store/types.js';
import type { Authenticator } from './auth/types.js';
import type { RateLimiter } from './auth/rate-limit.js';
import { FailureThrottle } from './auth/failure-throttle.js';
import { cors } from './http/cors.js';
import { jsonBody } from './http/json-body.js';
import { errorHandler } from './http/error-handler.js';
import { notFound, operationOutcome } from './http/errors.js';
import { checkMethodAllowed } from './http/method-not-allowed.js';
import { requestContext, securityHeaders } from './http/request-context.js';
import type { Readiness } from './http/readiness.js';
import { cdsRouter } from './cds/routes.js';
import { historyResetRouter } from './testing/history-reset.js';
import { authDiagnoseRouter } from './testing/auth-diagnose.js';
import type { InvokeDeps } from './cds/invoke.js';
import { ServiceRegistry } from './cds/registry.js';
import type { CdsService } from './cds/service.js';
import { populationsRouter, type PopulationRunner } from './population-api/routes.js';

export interface AppDeps {
  store: Store;
  authenticator: Authenticator;
  limiter: RateLimiter;
  services: readonly CdsService[];
  readiness: Readiness;
  log: Logger;
  /** Further routers (e.g. the model API), mounted after the CDS Hooks routes; their POST bodies under /api are parsed with the same limits. */
  routers?: readonly Router[];
  now?: () => Date;
  /** Extra hook-response systemActions from stored results (src/fhir-results/system-actions.ts). */
  systemActions?: InvokeDeps['systemActions'];
  /** Runs population scoring for `POST /api/populations/score` (mounted only when `populations.enabled`). */
  populations?: PopulationRunner;
}

export function createApp(config: Config, deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy.length === 0 ? false : config.trustProxy);
  app.set('query parser', 'simple');
  const now = deps.now ?? (() => new Date());

  app.use(securityHeaders);
  // While draining, every answer closes its connection, so keep-alive clients and balancers reconnect
  // elsewhere instead of racing the listener's close.
  app.use((_req, res, next) => {
    if (deps.readiness.draining) res.setHeader('Connection', 'close');
    next();
  });
  app.use(requestContext(deps.log));
  app.use(cors(config.cors));
  // A known path with the wrong method is 405 before any body parsing or authentication.
  app.use((req, _res, next) => {
    checkMethodAllowed(req);
    next();
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', (_req, res) => {
    if (deps.readiness.ready) {
      res.json({ status: 'ready' });
      return;
    }
    res
      .status(503)
      .type('application/fhir+json')
      .json(
        operationOutcome([
          { code: 'transient', diagnostics: `not ready: ${deps.readiness.pending.join(', ')}` },
        ]),
      );
  });

  const routeDeps = {
    config,
    store: deps.store,
    now,
    services: new ServiceRegistry(deps.services, config.services),
    authenticator: deps.authenticator,
    limiter: deps.limiter,
    throttle: new FailureThrottle(deps.limiter, config.limits.unauthenticatedPerIpPerMinute),
    ...(deps.systemActions === undefined ? {} : { systemActions: deps.systemActions }),
  };
  app.use(cdsRouter(routeDeps));
  app.use(historyResetRouter(routeDeps));
  app.use(authDiagnoseRouter(routeDeps));
  app.post('/api/*path', jsonBody(config.limits));
  if (config.populations.enabled) {
    if (deps.populations === undefined) throw new Error('populations.enabled but no population runner');
    app.use(populationsRouter({ ...routeDeps, runner: deps.populations }));
  }
  for (const r of deps.routers ?? []) app.use(r);

  app.use((req) => {
    throw notFound(`No route for ${req.method} ${req.path.slice(0, 100)}`);
  });
  app.use(errorHandler(deps.log));
  return app;
}
