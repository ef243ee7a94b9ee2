import { HttpError } from '../http/errors.js';
import type { TrustedClient } from '../config/schema.js';

/** Who called, after the EHR's JWT was verified. Identifiers only. */
export interface VerifiedCaller {
  iss: string;
  client: TrustedClient;
  jti: string;
  tenant?: string;
  sub?: string;
  /** True only in the explicit loopback-only unauthenticated mode. */
  unauthenticated?: true;
}

export interface Authenticator {
  /**
   * Verifies the `Authorization` header for a call to `audience`: the exact public URL of the endpoint,
   * or the list of its accepted public URLs (several public base URLs, loopback aliases).
   * Throws {@link AuthError} on every failure, with one identical body.
   */
  authenticate(
    authorization: string | undefined,
    audience: string | readonly string[],
  ): Promise<VerifiedCaller>;
  /**
   * For integration testers (`POST /api/auth/diagnose`, auth/diagnose.ts): every reason `compact` would
   * be refused for a call to `audience`, or undefined when the token does not prove it holds the key of a
   * trusted client with `trace: true`. Optional: wrappers without it answer every diagnosis with 401.
   */
  diagnose?(
    compact: string,
    audience: readonly string[],
    called: string,
  ): Promise<{ accepted: boolean; reasons: string[] } | undefined>;
  /** Fetches every configured JWKS once, so the first request does not pay for it. Never throws. */
  warm(): Promise<void>;
  close(): Promise<void>;
}

/** Every authentication failure looks the same from outside: 401, one body, no detail. */
export class AuthError extends HttpError {
  /** Why it failed — for tests and debug logs only, never sent to the client, never containing the token. */
  readonly reason: string;
  constructor(reason: string) {
    super(401, { code: 'login', diagnostics: 'Authentication failed' }, { 'WWW-Authenticate': 'Bearer' });
    this.name = 'AuthError';
    this.reason = reason;
  }
}
