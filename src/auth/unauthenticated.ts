import { randomUUID } from 'node:crypto';
import type { TrustedClient } from '../config/schema.js';
import type { Authenticator, VerifiedCaller } from './types.js';

/** The pseudo-client of the loopback-only unauthenticated mode. It may name loopback FHIR servers only. */
export const UNAUTHENTICATED_CLIENT: TrustedClient = {
  iss: 'urn:augur:unauthenticated-loopback',
  jwks: { keys: [{ kty: 'none' }] },
  jku: [],
  algorithms: ['ES384'],
  fhirServers: [],
  refetchNullPrefetch: false,
  trace: false,
};

/**
 * Wraps the real authenticator for the explicit, loopback-only unauthenticated mode (for people trying
 * Augur with curl): a call with no Authorization header is accepted as the unauthenticated pseudo-client;
 * a call that does carry a token is verified as usual — a bad token is never waved through.
 * main.ts refuses this mode unless Augur listens on loopback, and says so loudly at start-up.
 */
export function unauthenticatedLoopback(inner: Authenticator): Authenticator {
  return {
    async authenticate(authorization, audience): Promise<VerifiedCaller> {
      if (authorization !== undefined) return inner.authenticate(authorization, audience);
      return {
        iss: UNAUTHENTICATED_CLIENT.iss,
        client: UNAUTHENTICATED_CLIENT,
        jti: `unauthenticated-${randomUUID()}`,
        unauthenticated: true,
      };
    },
    ...(inner.diagnose === undefined
      ? {}
      : {
          diagnose: (compact: string, audience: readonly string[], called: string) =>
            inner.diagnose?.(compact, audience, called) ?? Promise.resolve(undefined),
        }),
    warm: () => inner.warm(),
    close: () => inner.close(),
  };
}
