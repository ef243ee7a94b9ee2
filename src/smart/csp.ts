/**
 * The side app's Content-Security-Policy: scripts and styles from Augur only (no inline, no third
 * party), network access to Augur and the allowlisted EHRs' FHIR and token origins only, framing by the
 * configured EHR origins only, and no `<base>` or form posts.
 */
import type { SmartAppConfig } from '../config/schema.js';

/** Origins the browser must reach: each allowed FHIR server's, plus each EHR's configured extras. */
export function connectOrigins(app: SmartAppConfig): string[] {
  const origins = new Set<string>();
  for (const issuer of app.issuers) {
    origins.add(new URL(issuer.iss).origin);
    for (const o of issuer.connectOrigins) origins.add(new URL(o).origin);
  }
  return [...origins].sort();
}

export function contentSecurityPolicy(app: SmartAppConfig): string {
  const ancestors = app.frameAncestors.map((o) => new URL(o).origin);
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    ['connect-src', "'self'", ...connectOrigins(app)].join(' '),
    ['frame-ancestors', ...(ancestors.length === 0 ? ["'none'"] : ancestors)].join(' '),
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}
