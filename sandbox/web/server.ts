/**
 * The EHR simulator's HTTP server (127.0.0.1 only): the page at `/sandbox/` (bundled from
 * sandbox/web/app with esbuild at start-up, in memory), the simulator's JWKS at
 * `/.well-known/jwks.json` (its `jku`), and a small JSON API the page uses — the EHR side (ehr.ts)
 * makes every call to Augur, the FHIR server and the authorization server.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Resource } from 'fhir/r4.js';
import type { Drug } from './drugs.js';
import { BadInput, type Ehr, type FireInput } from './ehr.js';

export interface PanelPatient {
  id: string;
  title: string;
  /** examples/patients/index.json's expectation per service. */
  expect: Record<string, unknown>;
}

export interface WebDeps {
  root: string;
  ehr: Ehr;
  drugs: Drug[];
  panel: PanelPatient[];
  /** In-process FHIR read (Patient list). */
  readFhir(relative: string): Promise<Resource | undefined>;
  urls: Record<string, string>;
}

const MAX_BODY = 256 * 1024;
const HOOKS = new Set(['patient-view', 'order-select', 'order-sign']);

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new BadInput('request body too large');
    chunks.push(chunk as Buffer);
  }
  try {
    const v = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      throw new BadInput('a JSON object is required');
    return v as Record<string, unknown>;
  } catch (err) {
    throw err instanceof BadInput ? err : new BadInput('invalid JSON');
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function str(v: unknown, name: string): string {
  if (typeof v !== 'string' || v === '') throw new BadInput(`${name}: a non-empty string is required`);
  return v;
}

async function bundle(root: string): Promise<string> {
  const out = await build({
    entryPoints: [join(root, 'sandbox', 'web', 'app', 'main.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    minify: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0]?.text ?? '';
}

interface Patients {
  panel: PanelPatient[];
  others: { id: string; label: string }[];
}

export async function patientChoices(deps: Pick<WebDeps, 'panel' | 'readFhir'>): Promise<Patients> {
  const bundleOf = (await deps.readFhir('Patient?_count=1000')) as
    { entry?: { resource?: { id?: string; name?: { given?: string[]; family?: string }[] } }[] } | undefined;
  const inPanel = new Set(deps.panel.map((p) => p.id));
  const others = (bundleOf?.entry ?? [])
    .map((e) => e.resource)
    .filter((r): r is { id: string; name?: { given?: string[]; family?: string }[] } => r?.id !== undefined)
    .filter((r) => !inPanel.has(r.id))
    .map((r) => ({
      id: r.id,
      label: [...(r.name?.[0]?.given ?? []), r.name?.[0]?.family ?? ''].join(' ').trim() || r.id,
    }));
  return { panel: deps.panel, others };
}

export async function startWeb(deps: WebDeps, port: number): Promise<{ server: Server; origin: string }> {
  const script = await bundle(deps.root);
  const dir = join(deps.root, 'sandbox', 'web', 'app');
  const indexHtml = readFileSync(join(dir, 'index.html'), 'utf8');
  const css = readFileSync(join(dir, 'style.css'), 'utf8');

  const api = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    const method = req.method ?? 'GET';
    if (method === 'GET' && path === '/sandbox/api/state') {
      json(res, 200, {
        urls: deps.urls,
        services: await deps.ehr.services(),
        drugs: deps.drugs,
        patients: await patientChoices(deps),
      });
      return;
    }
    if (method !== 'POST') {
      json(res, 405, { error: 'POST only' });
      return;
    }
    const body = await readJson(req);
    switch (path) {
      case '/sandbox/api/fire': {
        const hook = str(body['hook'], 'hook');
        if (!HOOKS.has(hook)) throw new BadInput('hook: patient-view, order-select or order-sign');
        const codes = Array.isArray(body['drugs']) ? body['drugs'].map(String) : [];
        const drugs = codes.map((c) => {
          const d = deps.drugs.find((x) => x.code === c);
          if (d === undefined) throw new BadInput(`unknown drug ${c}`);
          return d;
        });
        const input: FireInput = {
          hook: hook as FireInput['hook'],
          patientId: str(body['patientId'], 'patientId'),
          drugs,
          prefetch: body['prefetch'] !== false,
          ...(typeof body['encounterId'] === 'string' ? { encounterId: body['encounterId'] } : {}),
        };
        json(res, 200, await deps.ehr.fire(input));
        return;
      }
      case '/sandbox/api/feedback': {
        const outcome = str(body['outcome'], 'outcome');
        if (outcome !== 'accepted' && outcome !== 'overridden')
          throw new BadInput('outcome: accepted or overridden');
        const item: Record<string, unknown> = { card: str(body['card'], 'card'), outcome };
        if (Array.isArray(body['acceptedSuggestions']))
          item['acceptedSuggestions'] = body['acceptedSuggestions'];
        if (typeof body['overrideReason'] === 'object' && body['overrideReason'] !== null)
          item['overrideReason'] = body['overrideReason'];
        json(res, 200, await deps.ehr.feedback(str(body['serviceId'], 'serviceId'), item));
        return;
      }
      case '/sandbox/api/reset':
        json(res, 200, await deps.ehr.resetHistory(str(body['patientId'], 'patientId')));
        return;
      case '/sandbox/api/launch': {
        const appContext = typeof body['appContext'] === 'string' ? body['appContext'] : undefined;
        json(res, 200, {
          url: deps.ehr.launchUrl(str(body['url'], 'url'), str(body['patientId'], 'patientId'), appContext),
        });
        return;
      }
      default:
        json(res, 404, { error: 'no such API' });
    }
  };

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const headers = {
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    };
    if (path === '/' || path === '/sandbox') {
      res.writeHead(302, { location: '/sandbox/' }).end();
      return;
    }
    if (path === '/sandbox/') {
      res.writeHead(200, {
        ...headers,
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy':
          "default-src 'self'; img-src 'self' data:; style-src 'self'; object-src 'none'; base-uri 'none'",
      });
      res.end(indexHtml);
      return;
    }
    if (path === '/sandbox/app.js') {
      res.writeHead(200, { ...headers, 'content-type': 'text/javascript; charset=utf-8' }).end(script);
      return;
    }
    if (path === '/sandbox/style.css') {
      res.writeHead(200, { ...headers, 'content-type': 'text/css; charset=utf-8' }).end(css);
      return;
    }
    if (path === '/.well-known/jwks.json') {
      json(res, 200, deps.ehr.publicJwks());
      return;
    }
    if (path.startsWith('/sandbox/api/')) {
      api(req, res, path).catch((err: unknown) => {
        if (err instanceof BadInput) json(res, 400, { error: err.message });
        else json(res, 502, { error: err instanceof Error ? err.message : 'failed' });
      });
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  const actual = typeof address === 'object' && address !== null ? address.port : port;
  return { server, origin: `http://127.0.0.1:${String(actual)}` };
}
