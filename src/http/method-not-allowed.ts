/**
 * 405 for a known path called with the wrong method (RFC 9110 §15.5.6: with an `Allow` header), instead
 * of a misleading 404 "No route". The table lists every route Augur serves; a router that adds a route
 * adds its line here (the test in test/protocol/method-not-allowed.test.ts walks the table).
 */
import type { Request } from 'express';
import { HttpError } from './errors.js';

/** A route template (`:name` = one path segment) and the methods it answers. */
export interface RouteMethods {
  path: string;
  methods: readonly ('GET' | 'POST' | 'PUT' | 'DELETE')[];
}

export const ROUTE_METHODS: readonly RouteMethods[] = [
  { path: '/healthz', methods: ['GET'] },
  { path: '/readyz', methods: ['GET'] },
  { path: '/cds-services', methods: ['GET'] },
  { path: '/cds-services/:id', methods: ['POST'] },
  { path: '/cds-services/:id/feedback', methods: ['POST'] },
  { path: '/api/models', methods: ['GET'] },
  { path: '/api/models/:id', methods: ['GET'] },
  { path: '/api/models/:id/evaluate', methods: ['POST'] },
  { path: '/api/results/:id', methods: ['GET'] },
  { path: '/api/testing/card-history', methods: ['DELETE'] },
  { path: '/api/auth/diagnose', methods: ['POST'] },
];

const compiled = ROUTE_METHODS.map((r) => ({
  ...r,
  regex: new RegExp(`^${r.path.replace(/:[A-Za-z]+/g, '[^/]+')}/?$`),
}));

/** The `Allow` header value: GET routes also answer HEAD; CORS preflight answers OPTIONS everywhere. */
export function allowHeader(methods: readonly string[]): string {
  const all = methods.flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m]));
  return [...all, 'OPTIONS'].join(', ');
}

/** Throws 405 when `req.path` is a known route that does not answer `req.method`; returns otherwise. */
export function checkMethodAllowed(req: Request): void {
  const route = compiled.find((r) => r.regex.test(req.path));
  if (route === undefined) return;
  if ((route.methods as readonly string[]).includes(req.method)) return;
  if (req.method === 'HEAD' && route.methods.includes('GET')) return;
  const allow = allowHeader(route.methods);
  throw new HttpError(
    405,
    {
      code: 'not-supported',
      diagnostics: `${req.method} is not allowed on ${route.path}; allowed: ${allow}`,
    },
    { Allow: allow },
  );
}
