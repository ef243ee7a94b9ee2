/**
 * CORS for browser-based CDS clients (the cds-hooks sandbox is one): an exact-origin allowlist, or any
 * origin only when configured so. Preflights are answered here, before authentication — a browser
 * never sends credentials on a preflight.
 */
import type { NextFunction, Request, Response } from 'express';

export interface CorsSettings {
  origins: readonly string[];
  allowAnyOrigin: boolean;
}

export function cors(settings: CorsSettings) {
  const allowed = new Set(settings.origins);
  return (req: Request, res: Response, next: NextFunction): void => {
    const origin = req.headers.origin;
    if (origin !== undefined && (settings.allowAnyOrigin || allowed.has(origin))) {
      res.setHeader('Access-Control-Allow-Origin', settings.allowAnyOrigin ? '*' : origin);
      if (!settings.allowAnyOrigin) res.append('Vary', 'Origin');
      res.setHeader('Access-Control-Expose-Headers', 'Retry-After, WWW-Authenticate');
    }
    if (req.method === 'OPTIONS') {
      if (origin !== undefined && (settings.allowAnyOrigin || allowed.has(origin))) {
        res.setHeader('Access-Control-Allow-Methods', 'GET, POST, DELETE, OPTIONS');
        res.setHeader('Access-Control-Allow-Headers', 'Content-Type, Authorization');
        res.setHeader('Access-Control-Max-Age', '600');
      }
      res.status(204).end();
      return;
    }
    next();
  };
}
