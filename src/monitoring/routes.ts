/**
 * `GET /metrics` in Prometheus text format. Off unless AUGUR_METRICS_TOKEN is set (then 404 like any
 * unknown route); with it, the scraper must send `Authorization: Bearer <token>` — compared in
 * constant time; anything else is one 401 OperationOutcome. The metrics hold aggregates only (no PHI).
 */
import { timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import { HttpError } from '../http/errors.js';
import { metricsRegistry } from './metrics.js';

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The /metrics router, or none when no token is configured. */
export function metricsRouter(token: string | undefined): Router[] {
  if (token === undefined) return [];
  const router = Router();
  router.get('/metrics', async (req, res) => {
    const auth = req.headers.authorization ?? '';
    const given = auth.startsWith('Bearer ') ? auth.slice('Bearer '.length) : '';
    if (!sameToken(given, token))
      throw new HttpError(
        401,
        { code: 'login', diagnostics: 'a valid metrics bearer token is required' },
        { 'WWW-Authenticate': 'Bearer' },
      );
    res.setHeader('Cache-Control', 'no-store');
    res.type(metricsRegistry.contentType).send(await metricsRegistry.metrics());
  });
  return [router];
}
