/**
 * Launch failures a person can act on, each with its own kind so the page can say what to do next.
 * fhirclient reports most failures as plain Errors; `toLaunchError` sorts them into kinds.
 */

export type LaunchErrorKind = 'unknown-issuer' | 'denied' | 'expired' | 'unreachable' | 'state' | 'other';

export class LaunchError extends Error {
  readonly kind: LaunchErrorKind;

  constructor(kind: LaunchErrorKind, message: string) {
    super(message);
    this.name = 'LaunchError';
    this.kind = kind;
  }
}

/** An HTTP status carried by fhirclient's HttpError (or anything shaped like it). */
function statusOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const status = (err as { status?: unknown }).status;
  return typeof status === 'number' ? status : undefined;
}

/**
 * A request that never got an answer: browsers reject `fetch` with a TypeError ("Failed to fetch",
 * "NetworkError …", "Load failed"); fhirclient wraps its discovery fetches in its own message.
 */
export function isNetworkFailure(err: unknown): boolean {
  const message = err instanceof Error ? err.message : '';
  if (err instanceof TypeError && /fetch|network|load failed/i.test(message)) return true;
  return /Failed to fetch the (well-known json|conformance statement)/.test(message);
}

export const MESSAGES = {
  expired: 'Your session with the EHR has ended.',
  unreachable: 'Augur could not reach the patient record server (FHIR).',
  denied: 'Access to the patient record was not granted.',
  state: 'This sign-in could not be verified: the answer did not match the request Augur sent.',
} as const;

/** Sorts any failure into a LaunchError (a LaunchError passes through unchanged). */
export function toLaunchError(err: unknown): LaunchError {
  if (err instanceof LaunchError) return err;
  const status = statusOf(err);
  if (status === 401) return new LaunchError('expired', MESSAGES.expired);
  if (isNetworkFailure(err)) return new LaunchError('unreachable', MESSAGES.unreachable);
  const message = err instanceof Error ? err.message : String(err);
  if (/No 'state' parameter found|No state found/i.test(message))
    return new LaunchError('expired', MESSAGES.expired);
  if (/access_denied/i.test(message)) return new LaunchError('denied', MESSAGES.denied);
  if (/PKCE|S256/.test(message))
    return new LaunchError(
      'other',
      "The EHR's authorization server does not offer PKCE (S256), which Augur requires for a safe sign-in.",
    );
  if (status !== undefined) return new LaunchError('other', `A request failed (HTTP ${status}).`);
  return new LaunchError('other', 'Augur could not start.');
}

/** Records how the launch settled on `<html data-launch>`: `ready`, `error:<kind>` or `choose`. */
export function markLaunch(state: 'ready' | 'choose' | `error:${LaunchErrorKind}`): void {
  document.documentElement.dataset['launch'] = state;
}
