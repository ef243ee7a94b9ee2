/**
 * A Bulk Data source for tests: the real FHIR server with its `$export` front end
 * (sandbox/fhir-server/bulk-export.ts), behind the real sandbox authorization server, which knows one
 * SMART Backend Services client per key given (RS384 and ES384 by default). Only access tokens of that
 * server carrying a `system/*` read scope may export.
 */
import type { Resource } from 'fhir/r4.js';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { startAuthServer, type AuthServer } from '../../sandbox/auth-server/server.js';
import { allowsSystemExport } from '../../sandbox/auth-server/scopes.js';
import type { BulkExportOptions } from '../../sandbox/fhir-server/bulk-export.js';
import { startFhirServer, type FhirServer } from './fhir-server.js';

export { createBulkExport, type BulkExportOptions } from '../../sandbox/fhir-server/bulk-export.js';

export interface BulkSource {
  fhir: FhirServer;
  auth: AuthServer;
  /** Private JWKs by client id (`bulk-rs384`, `bulk-es384`), as a Backend Services client keeps them. */
  keys: Record<'bulk-rs384' | 'bulk-es384', JWK>;
  stop(): Promise<void>;
}

export async function privateJwk(alg: 'RS384' | 'ES384', kid: string): Promise<JWK> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  return { ...(await exportJWK(privateKey)), alg, kid, use: 'sig' };
}

export function publicJwk(key: JWK): JWK {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = key;
  return pub;
}

export async function startBulkSource(
  seed: readonly Resource[],
  bulkExport: BulkExportOptions = {},
): Promise<BulkSource> {
  const keys = {
    'bulk-rs384': await privateJwk('RS384', 'rs-1'),
    'bulk-es384': await privateJwk('ES384', 'es-1'),
  };
  // The FHIR server starts first (the auth server needs its base); it reaches the auth server through this.
  const late: { auth?: AuthServer } = {};
  const verify = async (t: string): Promise<boolean> => (await late.auth?.verifyAccessToken(t)) !== undefined;
  const fhir = await startFhirServer({
    verifyToken: verify,
    bulkExport: {
      retryAfterSeconds: 1,
      ...bulkExport,
      authorize: async (t) => {
        const claims = await late.auth?.verifyAccessToken(t);
        return claims !== undefined && allowsSystemExport(claims.scope);
      },
    },
  });
  const auth = await startAuthServer({
    fhirBaseUrl: fhir.baseUrl,
    apps: [],
    ehrClient: { clientId: 'ehr', clientSecret: 'ehr-secret-for-tests-only' },
    backendClients: Object.entries(keys).map(([clientId, key]) => ({
      clientId,
      jwks: { keys: [publicJwk(key)] },
    })),
    listPatients: () => Promise.resolve([]),
  });
  fhir.configureSmart({
    issuer: auth.origin,
    authorizationEndpoint: auth.authorizationEndpoint,
    tokenEndpoint: auth.tokenEndpoint,
    jwksUri: auth.jwksUri,
    grantTypesSupported: ['authorization_code', 'client_credentials'],
  });
  late.auth = auth;
  await fhir.seed(seed);
  return {
    fhir,
    auth,
    keys,
    stop: async () => {
      await auth.stop();
      await fhir.stop();
    },
  };
}
