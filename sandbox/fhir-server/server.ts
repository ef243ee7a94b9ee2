/**
 * A real FHIR R4 server for tests and the sandbox: Medplum's in-memory repository and router behind node:http on
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
import type { SmartEndpoints } from './extras.js';
import { createBulkExport, type BulkExport, type BulkExportOptions } from './bulk-export.js';
import { BASE_PATH, fhirRequest, handle, outcome, send, type HandlerContext } from './handler.js';
import { loadMedplum, type Medplum } from './medplum.js';

export interface FhirServerOptions {
  /** When set, every request must carry `Authorization: Bearer <requireToken>`, else 401. */
  requireToken?: string;
  /**
   * When set, every FHIR request must carry a bearer token this accepts, else 401 (the sandbox verifies
   * its authorization server's signed access tokens). Discovery (`.well-known/smart-configuration`) stays open.
   */
  verifyToken?: (token: string) => Promise<boolean>;
  /** Keep `requests` (default true; the long-running sandbox turns it off). */
  recordRequests?: boolean;
  /** Port to listen on (default 0: any free port); always 127.0.0.1. */
  port?: number;
  /** Advertised in `/.well-known/smart-configuration`; changeable later with `configureSmart`. */
  smart?: Partial<SmartEndpoints>;
  /** Answer browsers (a SMART app on another origin): `Access-Control-Allow-Origin: *` and preflights. */
  cors?: boolean;
  /** Offer FHIR Bulk Data `$export` (bulk-export.ts) with these options. */
  bulkExport?: BulkExportOptions;
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
  /** Runs a GET (e.g. `Patient?_count=100`) in-process, without HTTP or token: for the sandbox's own pages. */
  read(relative: string): Promise<Resource | undefined>;
  /** The `$export` front end, when `bulkExport` was given. */
  bulk: BulkExport | undefined;
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
    verifyToken: opts.verifyToken,
    cors: opts.cors ?? false,
  };
  const bulk = opts.bulkExport === undefined ? undefined : createBulkExport(ctx, opts.bulkExport);
  if (bulk !== undefined) ctx.bulk = bulk;

  const server = createServer((req, res) => {
    if (opts.recordRequests !== false)
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
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  ctx.baseUrl = `${origin}${BASE_PATH}`;

  return {
    baseUrl: ctx.baseUrl,
    origin,
    requests,
    bulk,
    seed: (input) => seed(ctx, input),
    read: async (relative) => {
      const [oo, resource] = await router.handleRequest(fhirRequest('GET', relative, undefined), repo);
      if (medplum.core.getStatus(oo) >= 400) return undefined;
      return resource as Resource | undefined;
    },
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
