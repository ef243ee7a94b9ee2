/**
 * Authenticating a call to one of Augur's JWT-protected endpoints (CDS Hooks routes, the testing API):
 * the per-IP failure throttle, the JWT checked against every accepted public URL of this endpoint
 * (`publicBaseUrl` list with loopback aliases), the per-issuer rate limit, and one audit event per failure.
 */
import type { Request, Response } from 'express';
import { AuthError, type Authenticator, type VerifiedCaller } from '../auth/types.js';
import { checkIssuerRate, type RateLimiter } from '../auth/rate-limit.js';
import type { FailureThrottle } from '../auth/failure-throttle.js';
import { writeAudit } from '../audit/audit.js';
import type { Config } from '../config/schema.js';
import type { Store } from '../store/types.js';

export interface AuthDeps {
  config: Config;
  store: Store;
  now: () => Date;
  authenticator: Authenticator;
  limiter: RateLimiter;
  throttle: FailureThrottle;
}

/** Authenticates against the public URLs of this endpoint; counts and audits failures. */
export async function authenticate(deps: AuthDeps, req: Request, res: Response): Promise<VerifiedCaller> {
  const audience = deps.config.publicBaseUrls.map((base) => `${base}${req.path}`);
  try {
    const caller = await deps.authenticator.authenticate(req.headers.authorization, audience);
    await checkIssuerRate(deps.limiter, caller, deps.config.limits.perIssuerPerMinute);
    return caller;
  } catch (err) {
    if (err instanceof AuthError) {
      await deps.throttle.failed(req.ip);
      const failure = {
        type: 'auth-failure',
        action: 'E',
        outcome: '4',
        status: 401,
        requestId: res.locals['requestId'] as string,
      } as const;
      await writeAudit(deps.store, [failure], deps.now);
    }
    throw err;
  }
}
