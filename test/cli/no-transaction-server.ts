/**
 * A real FHIR server without transactions, for the loader's fallback path: a node:http front on the
 * test FHIR server that forwards every request except a POST to the base, which it refuses like a server
 * with no transaction support (405 + OperationOutcome `not-supported`). With `declare`, its
 * CapabilityStatement lists the system interactions it has — without `transaction`.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FhirServer } from '../support/fhir-server.js';

export interface NoTransactionServer {
  baseUrl: string;
  /** Requests it refused (POST to the base). */
  refused: number;
  stop(): Promise<void>;
}

async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startNoTransactionServer(
  fhir: FhirServer,
  o: { declare: boolean },
): Promise<NoTransactionServer> {
  const state = { refused: 0 };
  const server = createServer((req, res) => {
    void (async () => {
      const url = req.url ?? '/';
      const body = await bodyOf(req);
      if (req.method === 'POST' && (url === '/fhir' || url === '/fhir/')) {
        state.refused++;
        res.writeHead(405, { 'content-type': 'application/fhir+json', allow: 'GET' });
        res.end(
          JSON.stringify({
            resourceType: 'OperationOutcome',
            issue: [
              { severity: 'error', code: 'not-supported', diagnostics: 'transactions are not supported' },
            ],
          }),
        );
        return;
      }
      const headers: Record<string, string> = {};
      for (const name of ['authorization', 'content-type', 'accept'])
        if (typeof req.headers[name] === 'string') headers[name] = req.headers[name];
      const upstream = await fetch(`${fhir.origin}${url}`, {
        method: req.method ?? 'GET',
        headers,
        ...(body.length === 0 ? {} : { body: body.toString('utf8') }),
      });
      let text = await upstream.text();
      if (o.declare && url.startsWith('/fhir/metadata') && upstream.status === 200) {
        const cs = JSON.parse(text) as { rest?: Record<string, unknown>[] };
        for (const r of cs.rest ?? [])
          r['interaction'] = [{ code: 'search-system' }, { code: 'history-system' }];
        text = JSON.stringify(cs);
      }
      res.writeHead(upstream.status, {
        'content-type': upstream.headers.get('content-type') ?? 'application/fhir+json',
      });
      res.end(text);
    })().catch((err: unknown) => {
      res.writeHead(502);
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${String(port)}/fhir`,
    get refused() {
      return state.refused;
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
