/**
 * `POST /api/auth/diagnose` — why would Augur refuse this token? For integration testers (`augur invoke`,
 * the sandbox's EHR simulator) after a 401, whose body stays one identical body for everyone.
 *
 * Request: `{"token": "<compact JWT>", "url": "<the URL the client called>"}`. Answer 200
 * `{"accepted": boolean, "reasons": string[]}` only when the token's signature verifies against the keys
 * of a trusted client whose config says `"trace": true` (the caller holds that client's key); the reasons
 * say in plain words what the authenticator refuses (src/auth/diagnose.ts). Anything else — a body that is
 * not that JSON, a token of another client or of none, a bad signature — is the same 401 as a hook call,
 * counted by the per-IP failure throttle (429 before any work when over) and audited as an auth failure.
 * The token is never logged, stored or echoed.
 */
import { Router, type Request, type Response } from 'express';
import { writeAudit } from '../audit/audit.js';
import { AuthError, type Authenticator } from '../auth/types.js';
import type { AuthDeps } from '../cds/authenticate.js';
import { readJsonBody } from '../http/json-body.js';

export const DIAGNOSE_PATH = '/api/auth/diagnose';

/** Longer tokens are refused by the authenticator anyway (token.ts MAX_AUTHORIZATION_BYTES). */
const MAX_TOKEN = 8 * 1024;

export function authDiagnoseRouter(deps: AuthDeps & { authenticator: Authenticator }): Router {
  const router = Router();
  router.post(DIAGNOSE_PATH, deps.throttle.guard, async (req: Request, res: Response) => {
    const body = await readJsonBody(req, deps.config.limits);
    const input = parse(body);
    const audience = input === undefined ? undefined : audienceFor(deps, input.url);
    const diagnosis =
      input === undefined || audience === undefined || deps.authenticator.diagnose === undefined
        ? undefined
        : await deps.authenticator.diagnose(input.token, audience, input.url);
    if (diagnosis === undefined) {
      await deps.throttle.failed(req.ip);
      await writeAudit(
        deps.store,
        [
          {
            type: 'auth-failure',
            action: 'E',
            outcome: '4',
            status: 401,
            requestId: res.locals['requestId'] as string,
          },
        ],
        deps.now,
      );
      throw new AuthError('diagnose: not a token of a client enabled for it');
    }
    res.json({ accepted: diagnosis.accepted, reasons: diagnosis.reasons });
  });
  return router;
}

function parse(body: unknown): { token: string; url: string } | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const { token, url } = body as Record<string, unknown>;
  if (typeof token !== 'string' || token.length > MAX_TOKEN || typeof url !== 'string') return undefined;
  return { token, url };
}

/** Every accepted public URL of the endpoint the client called (same path), primary first. */
function audienceFor(deps: AuthDeps, url: string): string[] | undefined {
  let path: string;
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    path = u.pathname;
  } catch {
    return undefined;
  }
  return deps.config.publicBaseUrls.map((base) => `${base}${path}`);
}
