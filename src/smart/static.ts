/**
 * Serves the built side app (dist/smart-launch/, `npm run build:app`) at /smart-launch/ with its
 * security headers, and its public launch settings at /smart-launch/config.json.
 *
 *   GET /smart-launch/launch.html   the SMART launch URL
 *   GET /smart-launch/index.html    the redirect target (the app)
 *   GET /smart-launch/config.json   {clientId, ehrScopes, standaloneScopes, redirectPath, issuers}
 *   GET /smart-launch/assets/*      hashed, immutable
 */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import { repoRoot } from '../config/paths.js';
import { HttpError } from '../http/errors.js';
import { currentRegistry, type RegistrySource } from '../models/startup.js';
import type { AppConfig } from './app-config.js';
import { contentSecurityPolicy } from './csp.js';
import { launchScopes, readScopes } from './scopes.js';

export const APP_PATH = '/smart-launch';

/** Where `vite build` writes the app (smart-launch/vite.config.ts). */
export function builtAppDir(root: string = repoRoot()): string {
  return join(root, 'dist', 'smart-launch');
}

/** Vite names hashed assets `<name>-<8+ char hash>.<ext>`: their content never changes under that name. */
const HASHED = /-[A-Za-z0-9_-]{8,}\.(js|css|svg|png|woff2?)$/;

export interface StaticAppOptions {
  config: Pick<Config, 'smartApp' | 'modelSettings'>;
  models: RegistrySource;
  log: Logger;
  /** Defaults to dist/smart-launch under the repository root. */
  dir?: string;
}

export function appConfig(
  config: Pick<Config, 'smartApp' | 'modelSettings'>,
  models: RegistrySource,
): AppConfig {
  const { smartApp } = config;
  const scopes = launchScopes(
    readScopes(
      currentRegistry(models)
        .list()
        .map((m) => m.manifest),
    ),
  );
  return {
    clientId: smartApp.clientId,
    ehrScopes: scopes.ehr,
    standaloneScopes: scopes.standalone,
    redirectPath: 'index.html',
    issuers: smartApp.issuers.map((i) => ({ iss: i.iss, name: i.name ?? new URL(i.iss).host })),
    modelSettings: config.modelSettings,
  };
}

export function staticAppRouter(o: StaticAppOptions): Router {
  const dir = o.dir ?? builtAppDir();
  const csp = contentSecurityPolicy(o.config.smartApp);
  const framed = o.config.smartApp.frameAncestors.length > 0;
  const router = Router();

  router.use(APP_PATH, (_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Content-Security-Policy', csp);
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-store');
    // frame-ancestors names the EHRs that may embed the app; X-Frame-Options cannot express a list.
    if (framed) res.removeHeader('X-Frame-Options');
    next();
  });
  router.get(`${APP_PATH}/config.json`, (_req, res) => {
    res.json(appConfig(o.config, o.models));
  });

  if (!existsSync(join(dir, 'launch.html'))) {
    o.log.warn({ reason: 'side app not built', setting: 'build:app' }, 'the SMART side app is not built');
    router.use(APP_PATH, () => {
      throw new HttpError(503, {
        code: 'transient',
        diagnostics: 'The SMART side app is not built: run `npm run build:app`.',
      });
    });
    return router;
  }
  router.use(
    APP_PATH,
    express.static(dir, {
      index: false,
      redirect: false,
      dotfiles: 'deny',
      etag: true,
      setHeaders(res, path) {
        if (HASHED.test(basename(path)))
          res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
      },
    }),
  );
  return router;
}
