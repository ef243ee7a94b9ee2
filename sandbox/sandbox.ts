/**
 * `augur sandbox` / `npm run sandbox`: everything an integration tester needs, on 127.0.0.1, in one
 * command — the real FHIR server seeded with the synthetic panel, the SMART authorization server, Augur
 * (its own process, as in production, trusting the simulator) and the EHR simulator page.
 *
 * Ports: `basePort` (Augur), +1 FHIR, +2 authorization server, +3 simulator; `basePort` 0 picks free
 * ports (tests). Data (Augur's embedded store, its config and log) lives in `dataDir`.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Resource } from 'fhir/r4.js';
import { loadPanel } from '../cli/patients/load.js';
import { startFhirServer, type FhirServer } from './fhir-server/server.js';
import { startAuthServer, type AuthServer, type BackendClient } from './auth-server/server.js';
import { allowsSystemExport } from './auth-server/scopes.js';
import { startAugur, type AugurProcess } from './augur.js';
import { drugList } from './web/drugs.js';
import { createSigner, Ehr } from './web/ehr.js';
import { startWeb, type PanelPatient } from './web/server.js';
import { freePort } from './free-port.js';

export const SIDE_APP_CLIENT_ID = 'augur';

export interface SandboxOptions {
  root: string;
  basePort: number;
  dataDir: string;
  /** Run Augur from src/ through tsx (tests) instead of dist/ (the CLI). */
  fromSources: boolean;
  log?: (line: string) => void;
}

export interface Sandbox {
  urls: { simulator: string; augur: string; fhir: string; auth: string; sideApp: string; discovery: string };
  augur: AugurProcess;
  fhir: FhirServer;
  auth: AuthServer;
  metricsToken: string;
  patients: number;
  stop(): Promise<number | null>;
}

/** The panel as one Group, for Group-level Bulk Data export (`Group/augur-panel/$export`). */
export const PANEL_GROUP_ID = 'augur-panel';

/**
 * SMART Backend Services clients the sandbox's authorization server knows: `<dataDir>/backend-clients.json`,
 * `[{"clientId": "...", "jwks": {"keys": [<public JWK>]}}]` (README: "From a FHIR server (Bulk Data)").
 */
export const BACKEND_CLIENTS_FILE = 'backend-clients.json';

function readBackendClients(dataDir: string): BackendClient[] {
  const file = join(dataDir, BACKEND_CLIENTS_FILE);
  if (!existsSync(file)) return [];
  const list = JSON.parse(readFileSync(file, 'utf8')) as BackendClient[];
  if (!Array.isArray(list) || list.some((c) => typeof c.clientId !== 'string' || !Array.isArray(c.jwks.keys)))
    throw new Error(`${file}: expected [{"clientId": "...", "jwks": {"keys": [...]}}]`);
  return list;
}

function readPanelIndex(root: string): PanelPatient[] {
  const index = JSON.parse(readFileSync(join(root, 'examples', 'patients', 'index.json'), 'utf8')) as {
    patients: { id: string; title: string; expect: Record<string, unknown> }[];
  };
  return index.patients.map((p) => ({ id: p.id, title: p.title, expect: p.expect }));
}

export async function startSandbox(o: SandboxOptions): Promise<Sandbox> {
  const log = o.log ?? (() => undefined);
  mkdirSync(o.dataDir, { recursive: true });
  const port = async (offset: number): Promise<number> =>
    o.basePort === 0 ? freePort() : o.basePort + offset;
  const [augurPort, fhirPort, authPort, webPort] = [
    await port(0),
    await port(1),
    await port(2),
    await port(3),
  ];
  const augurUrl = `http://127.0.0.1:${String(augurPort)}`;
  const simOrigin = `http://127.0.0.1:${String(webPort)}`;

  let auth: AuthServer | undefined;
  const fhir = await startFhirServer({
    port: fhirPort,
    cors: true,
    recordRequests: false,
    verifyToken: async (t) => (await auth?.verifyAccessToken(t)) !== undefined,
    // Bulk Data $export for Backend Services clients holding a system/*.read (or .rs) token.
    bulkExport: {
      authorize: async (t) => {
        const claims = await auth?.verifyAccessToken(t);
        return claims !== undefined && allowsSystemExport(claims.scope);
      },
    },
  });
  const stops: (() => Promise<unknown>)[] = [() => fhir.stop()];
  try {
    auth = await startAuthServer({
      port: authPort,
      fhirBaseUrl: fhir.baseUrl,
      apps: [{ clientId: SIDE_APP_CLIENT_ID, redirectUris: [`${augurUrl}/smart-launch/index.html`] }],
      ehrClient: { clientId: 'augur-sandbox-ehr', clientSecret: randomBytes(24).toString('base64url') },
      backendClients: readBackendClients(o.dataDir),
      listPatients: async () => {
        const b = (await fhir.read('Patient?_count=1000')) as
          | {
              entry?: {
                resource?: { id?: string; name?: { text?: string; given?: string[]; family?: string }[] };
              }[];
            }
          | undefined;
        return (b?.entry ?? [])
          .map((e) => e.resource)
          .filter((r) => r?.id !== undefined)
          .map((r) => ({
            id: r?.id ?? '',
            label:
              [...(r?.name?.[0]?.given ?? []), r?.name?.[0]?.family ?? ''].join(' ').trim() || (r?.id ?? ''),
          }));
      },
    });
    const authServer = auth;
    stops.unshift(() => authServer.stop());
    fhir.configureSmart({
      issuer: auth.origin,
      authorizationEndpoint: auth.authorizationEndpoint,
      tokenEndpoint: auth.tokenEndpoint,
      jwksUri: auth.jwksUri,
      introspectionEndpoint: auth.introspectionEndpoint,
      grantTypesSupported: ['authorization_code', 'client_credentials'],
    });

    const signer = await createSigner(simOrigin, `${simOrigin}/.well-known/jwks.json`);
    const configFile = join(o.dataDir, 'augur-config.json');
    const config = {
      publicBaseUrl: augurUrl,
      allowInsecureFhirServers: true,
      clients: [
        {
          iss: signer.iss,
          // Like the official cds-hooks sandbox: the key is published at the jku the JWT names.
          jwksUrl: signer.jku,
          jku: [signer.jku],
          algorithms: ['ES384'],
          fhirServers: [fhir.baseUrl],
          allowHistoryReset: true,
          // The simulator shows why each card did or did not fire (src/trace; PHI: testers only).
          trace: true,
        },
      ],
      smartLaunchUrl: `${augurUrl}/smart-launch/launch.html`,
      smartApp: {
        clientId: SIDE_APP_CLIENT_ID,
        issuers: [{ iss: fhir.baseUrl, name: 'Augur sandbox EHR', connectOrigins: [auth.origin] }],
      },
    };
    writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`);

    const ehr = new Ehr({
      augurUrl,
      fhirBase: fhir.baseUrl,
      signer,
      ehrToken: (scope) => authServer.ehrToken(scope),
      registerLaunch: (c) => authServer.registerLaunch(c),
    });
    const urls = {
      simulator: `${simOrigin}/sandbox/`,
      augur: augurUrl,
      discovery: `${augurUrl}/cds-services`,
      fhir: fhir.baseUrl,
      auth: `${auth.origin}/.well-known/openid-configuration`,
      sideApp: `${augurUrl}/smart-launch/launch.html`,
    };
    // The simulator serves its JWKS (the jku) before Augur starts and warms its key cache.
    const web = await startWeb(
      {
        root: o.root,
        ehr,
        drugs: drugList(o.root),
        panel: readPanelIndex(o.root),
        readFhir: (r) => fhir.read(r),
        urls,
      },
      webPort,
    );
    stops.unshift(
      () =>
        new Promise<void>((resolve) => {
          web.server.closeAllConnections();
          web.server.close(() => {
            resolve();
          });
        }),
    );
    const metricsToken = randomBytes(32).toString('base64url');
    // Augur starts (and loads its models) while the panel is loaded into the FHIR server.
    const seeding = (async () => {
      // The whole synthetic panel, dates shifted to today (loadPanel is idempotent: PUT-style ids).
      const seedToken = await authServer.ehrToken('system/*.cruds');
      const loaded = await loadPanel({ fhir: fhir.baseUrl, token: seedToken.access_token });
      // The whole panel as one Group, for Group-level Bulk Data export.
      const patients = (await fhir.read('Patient?_count=10000&_elements=id')) as
        { entry?: { resource?: { id?: string } }[] } | undefined;
      await fhir.seed([
        {
          resourceType: 'Group',
          id: PANEL_GROUP_ID,
          type: 'person',
          actual: true,
          name: 'Augur synthetic panel',
          member: (patients?.entry ?? []).flatMap((e) =>
            e.resource?.id === undefined ? [] : [{ entity: { reference: `Patient/${e.resource.id}` } }],
          ),
        } as Resource,
      ]);
      log(
        `FHIR server seeded: ${String(loaded.patients)} patients, ${String(loaded.resources)} resources (${loaded.mode})`,
      );
      return loaded;
    })();
    const augurStarting = startAugur({
      root: o.root,
      fromSources: o.fromSources,
      port: augurPort,
      configFile,
      dataDir: o.dataDir,
      metricsToken,
    });
    const [loadedResult, augurResult] = await Promise.allSettled([seeding, augurStarting]);
    if (augurResult.status === 'rejected') throw augurResult.reason;
    const augur = augurResult.value;
    if (loadedResult.status === 'rejected') {
      await augur.stop();
      throw loadedResult.reason;
    }
    const loaded = loadedResult.value;
    return {
      urls,
      augur,
      fhir,
      auth,
      metricsToken,
      patients: loaded.patients,
      stop: async () => {
        const code = await augur.stop();
        for (const s of stops) await s();
        return code;
      },
    };
  } catch (err) {
    for (const s of stops) await s().catch(() => undefined);
    throw err;
  }
}
