/**
 * A misbehaving "FHIR server" on 127.0.0.1 for chaos tests (security.md §Chaos). One mode at a time;
 * change it between tests with `setMode`. Run a second one in mode `ok` as the "foreign host" and
 * assert it received nothing.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ChaosMode =
  | 'ok'
  | '5xx'
  | '401'
  | '404'
  | 'hang'
  | 'reset'
  | 'truncated'
  | 'huge'
  | 'redirect'
  | 'foreign-next'
  | 'other-patient'
  | 'slow';

export interface ChaosOptions {
  mode?: ChaosMode;
  /** Where `redirect` and `foreign-next` point (another listener in tests). */
  foreignOrigin?: string;
  /** The patient `ok` / `slow` / `foreign-next` answers are about. */
  patientId?: string;
  slowMs?: number;
  /** Size of the `huge` body; it is streamed in chunks, with no Content-Length. */
  hugeBytes?: number;
}

export interface ChaosRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

export interface ChaosServer {
  /** e.g. `http://127.0.0.1:40111/fhir` */
  baseUrl: string;
  origin: string;
  requests: ChaosRequest[];
  setMode(mode: ChaosMode): void;
  stop(): Promise<void>;
}

export async function startChaosServer(opts: ChaosOptions = {}): Promise<ChaosServer> {
  let mode: ChaosMode = opts.mode ?? 'ok';
  const requests: ChaosRequest[] = [];
  const settings = {
    foreignOrigin: opts.foreignOrigin ?? 'http://127.0.0.1:9',
    patientId: opts.patientId ?? 'p1',
    slowMs: opts.slowMs ?? 3000,
    hugeBytes: opts.hugeBytes ?? 6 * 1000 * 1000,
  };
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: { ...req.headers } });
    req.resume();
    answer(mode, req.url ?? '/', res, settings);
  });
  // A client aborting mid-stream is expected here, not an error.
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl: `${origin}/fhir`,
    origin,
    requests,
    setMode: (m) => {
      mode = m;
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

type Settings = Required<Omit<ChaosOptions, 'mode'>>;

function answer(mode: ChaosMode, url: string, res: ServerResponse, s: Settings): void {
  res.on('error', () => undefined);
  switch (mode) {
    case 'ok':
      json(res, 200, okBody(url, s.patientId));
      return;
    case '5xx':
      json(res, 503, oo('transient', 'unavailable'));
      return;
    case '401':
      json(res, 401, oo('login', 'unauthorized'));
      return;
    case '404':
      json(res, 404, oo('not-found', 'not found'));
      return;
    case 'hang':
      return;
    case 'reset':
      res.socket?.destroy();
      return;
    case 'truncated':
      res.writeHead(200, { 'content-type': 'application/fhir+json' });
      res.end('{"resourceType":"Bundle","type":"searchset","entry":[{"resource":{"resourceType":"Obs');
      return;
    case 'huge':
      void streamHuge(res, s.hugeBytes);
      return;
    case 'redirect':
      res.writeHead(302, { location: `${s.foreignOrigin}${url}` });
      res.end();
      return;
    case 'foreign-next':
      json(res, 200, searchset(s.patientId, `${s.foreignOrigin}/fhir/Observation?page=2`));
      return;
    case 'other-patient':
      json(res, 200, okBody(url, 'other'));
      return;
    case 'slow':
      setTimeout(() => {
        json(res, 200, okBody(url, s.patientId));
      }, s.slowMs).unref();
      return;
  }
}

function okBody(url: string, patientId: string): unknown {
  if (/\/Patient\/[^/?]+$/.test(url)) return { resourceType: 'Patient', id: patientId };
  return searchset(patientId, undefined);
}

function searchset(patientId: string, next: string | undefined): unknown {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    ...(next === undefined ? {} : { link: [{ relation: 'next', url: next }] }),
    entry: [
      {
        resource: {
          resourceType: 'Observation',
          id: 'o1',
          status: 'final',
          code: { text: 'x' },
          subject: { reference: `Patient/${patientId}` },
        },
      },
    ],
  };
}

async function streamHuge(res: ServerResponse, bytes: number): Promise<void> {
  res.writeHead(200, { 'content-type': 'application/fhir+json' });
  const chunk = `{"resource":{"resourceType":"Basic","id":"${'x'.repeat(1000)}"}},`;
  let sent = 0;
  if (!res.write('{"resourceType":"Bundle","type":"searchset","entry":[')) await drained(res);
  while (sent < bytes && !res.destroyed) {
    sent += chunk.length;
    if (!res.write(chunk)) await drained(res);
  }
  if (!res.destroyed) res.end('{}]}');
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/fhir+json' });
  res.end(JSON.stringify(body));
}

function oo(code: string, diagnostics: string): unknown {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics }] };
}
