/**
 * `GET /metrics` in Prometheus text format, and `GET /api/monitoring/card-rates?days=30` (acceptance and
 * override rates per card id per day, from the store's card history: the alert-fatigue signal). Off
 * unless AUGUR_METRICS_TOKEN is set (then 404 like any unknown route); with it, the caller must send
 * `Authorization: Bearer <token>` — compared in constant time; anything else is one 401
 * OperationOutcome. Both hold aggregates only (no PHI).
 */
import { timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import { HttpError, badRequest } from '../http/errors.js';
import type { Store } from '../store/types.js';
import { clusterMetricsText } from '../cluster/worker-metrics.js';
import { metricsRegistry } from './metrics.js';
import { driftReport, type Distributions } from './drift.js';
import { adminLogin } from './admin-login.js';
import type { MonitoringAdminConfig } from '../config/schema.js';

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const DAY_MS = 86_400_000;

/** `days` query parameter: 1–365, default 30. */
function daysOf(raw: unknown): number {
  if (raw === undefined) return 30;
  const n = typeof raw === 'string' && /^\d{1,3}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= 365)) throw badRequest('days must be an integer from 1 to 365', 'days');
  return n;
}

/** `weeks` query parameter: 1–52, default 8. */
function weeksOf(raw: unknown): number {
  if (raw === undefined) return 8;
  const n = typeof raw === 'string' && /^\d{1,2}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= 52)) throw badRequest('weeks must be an integer from 1 to 52', 'weeks');
  return n;
}

export interface MonitoringOptions {
  token: string | undefined;
  store: Store;
  /** The loaded models' development distributions (input drift); none until the models are loaded. */
  distributions?: () => Distributions;
  /** The SMART admin login (config `monitoring.admin`) and where Augur is reached (its redirect URI). */
  admin?: { config: MonitoringAdminConfig; publicBaseUrl: string };
  now?: () => Date;
}

/** The monitoring routers, or none when no token is configured. */
export function metricsRouter(o: MonitoringOptions): Router[] {
  const token = o.token;
  if (token === undefined) return [];
  const now = o.now ?? (() => new Date());
  const router = Router();
  const login =
    o.admin === undefined
      ? undefined
      : adminLogin({ admin: o.admin.config, token, publicBaseUrl: o.admin.publicBaseUrl });
  // Before the token check: signing in is how a browser without the token gets a session.
  if (login !== undefined) router.use(login.router);
  // Who is asking (the page asks on load): the admin's identity, or none — never a 401 to the console.
  router.get('/api/monitoring/me', async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const user = await login?.sessionUser(req);
    res.json(user === undefined ? { via: 'none' } : { via: 'sign-in', user });
  });
  router.use(['/metrics', '/api/monitoring'], async (req, res, next) => {
    const auth = req.headers.authorization ?? '';
    const given = auth.startsWith('Bearer ') ? auth.slice('Bearer '.length) : '';
    res.setHeader('Cache-Control', 'no-store');
    if (sameToken(given, token)) {
      next();
      return;
    }
    // /metrics is for Prometheus (token only); the page's API also takes an admin's session cookie.
    const user = req.baseUrl === '/metrics' ? undefined : await login?.sessionUser(req);
    if (user === undefined)
      throw new HttpError(
        401,
        {
          code: 'login',
          diagnostics:
            login === undefined
              ? 'a valid metrics bearer token is required'
              : 'a valid metrics bearer token or an administrator sign-in is required',
        },
        { 'WWW-Authenticate': 'Bearer' },
      );
    next();
  });

  router.get('/api/monitoring/card-rates', async (req, res) => {
    const days = daysOf(req.query['days']);
    const since = new Date(now().getTime() - days * DAY_MS);
    const rows = await o.store.cardRates(since);
    res.json({
      since: since.toISOString(),
      rows: rows.map((r) => ({
        ...r,
        acceptanceRate: r.accepted / r.shown,
        overrideRate: r.overridden / r.shown,
      })),
    });
  });
  router.get('/api/monitoring/drift', async (req, res) => {
    const weeks = weeksOf(req.query['weeks']);
    res.json(await driftReport(o.store, o.distributions?.() ?? new Map(), now(), weeks));
  });
  router.get('/metrics', async (_req, res) => {
    res.type(metricsRegistry.contentType).send(await clusterMetricsText());
  });
  return [router];
}
