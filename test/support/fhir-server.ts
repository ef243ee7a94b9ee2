/**
 * A real FHIR R4 server for tests: Medplum's in-memory repository and router behind node:http on
 * 127.0.0.1 (port 0), per docs/local-servers.md. Start one per test file:
 *
 * ```ts
 * const fhir = await startFhirServer({ requireToken: CANARY.accessToken });
 * await fhir.seed([aPatient(), ...observations]);
 * // fhir.baseUrl is e.g. http://127.0.0.1:41234/fhir; fhir.requests records every request.
 * await fhir.stop();
 * ```
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Bundle, Resource } from 'fhir/r4.js';
import type { SmartEndpoints } from './fhir-server/extras.js';
import { BASE_PATH, fhirRequest, handle, outcome, send, type HandlerContext } from './fhir-server/handler.js';
import { loadMedplum, type Medplum } from './fhir-server/medplum.js';

export interface FhirServerOptions {
  /** When set, every request must carry `Authorization: Bearer <requireToken>`, else 401. */
  requireToken?: string;
  /** Advertised in `/.well-known/smart-configuration`; changeable later with `configureSmart`. */
  smart?: Partial<SmartEndpoints>;
  /** Answer browsers (a SMART app on another origin): `Access-Control-Allow-Origin: *` and preflights. */
  cors?: boolean;
}

export interface RecordedRequest {
  method: string;
  /** Path and query as received, e.g. `/fhir/Observation?patient=p1`. */
  url: string;
  headers: IncomingHttpHeaders;
  authorization: string | undefined;
}

export interface FhirServer {
  /** No trailing slash, e.g. `http://127.0.0.1:41234/fhir`. */
  baseUrl: string;
  origin: string;
  /** Stores resources (ids kept when given; each validated) or runs a transaction/batch Bundle. */
  seed(input: readonly Resource[] | Bundle): Promise<void>;
  requests: RecordedRequest[];
  configureSmart(endpoints: Partial<SmartEndpoints>): void;
  /** Empties the repository and the request log. */
  reset(): void;
  stop(): Promise<void>;
}

type MedplumResource = Parameters<Medplum['core']['validateResource']>[0];

export async function startFhirServer(opts: FhirServerOptions = {}): Promise<FhirServer> {
  const medplum = await loadMedplum();
  const repo = new medplum.router.MemoryRepository();
  const router = new medplum.router.FhirRouter();
  const requests: RecordedRequest[] = [];
  let smart: SmartEndpoints = {
    authorizationEndpoint: opts.smart?.authorizationEndpoint ?? 'http://127.0.0.1:1/authorize',
    tokenEndpoint: opts.smart?.tokenEndpoint ?? 'http://127.0.0.1:1/token',
  };
  const ctx: HandlerContext = {
    medplum,
    repo,
    router,
    baseUrl: '',
    smart: () => smart,
    requireToken: opts.requireToken,
    cors: opts.cors ?? false,
  };

  const server = createServer((req, res) => {
    requests.push({
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: { ...req.headers },
      authorization: req.headers.authorization,
    });
    handle(ctx, req, res).catch((err: unknown) => {
      send(res, 500, outcome('exception', err instanceof Error ? err.message : 'internal error'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  ctx.baseUrl = `${origin}${BASE_PATH}`;

  return {
    baseUrl: ctx.baseUrl,
    origin,
    requests,
    seed: (input) => seed(ctx, input),
    configureSmart: (e) => {
      smart = { ...smart, ...e };
    },
    reset: () => {
      repo.clear();
      requests.length = 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

async function seed(ctx: HandlerContext, input: readonly Resource[] | Bundle): Promise<void> {
  if (!Array.isArray(input)) {
    const [oo] = await ctx.router.handleRequest(fhirRequest('POST', '', input), ctx.repo);
    const status = ctx.medplum.core.getStatus(oo);
    if (status >= 400) throw new Error(`seed transaction failed: ${JSON.stringify(oo)}`);
    return;
  }
  for (const r of input as readonly Resource[]) {
    const resource = r as MedplumResource;
    ctx.medplum.core.validateResource(resource);
    await (r.id === undefined ? ctx.repo.createResource(resource) : ctx.repo.updateResource(resource));
  }
}
