/** The HTTP side of the FHIR server (tests and the sandbox): routing, validation on writes, extras, JSON in and out. */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Bundle, OperationOutcome, Resource } from 'fhir/r4.js';
import { addSearchLinks, capabilityStatement, smartConfiguration, type SmartEndpoints } from './extras.js';
import type { Medplum } from './medplum.js';
import { validateOutcome } from './validate.js';

export const BASE_PATH = '/fhir';

export interface HandlerContext {
  medplum: Medplum;
  repo: InstanceType<Medplum['router']['MemoryRepository']>;
  router: InstanceType<Medplum['router']['FhirRouter']>;
  baseUrl: string;
  smart: () => SmartEndpoints;
  requireToken: string | undefined;
  /** When set, every FHIR request needs a bearer token this accepts (the sandbox: the auth server's). */
  verifyToken: ((token: string) => Promise<boolean>) | undefined;
  cors: boolean;
  /** The `$export` front end (bulk-export.ts), when the server offers Bulk Data. */
  bulk?: { handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> };
}

export async function handle(ctx: HandlerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? '/';
  const method = req.method ?? 'GET';
  if (ctx.cors) {
    res.setHeader('Access-Control-Allow-Origin', '*');
    if (method === 'OPTIONS') {
      res.writeHead(204, {
        'Access-Control-Allow-Methods': 'GET, POST, PUT, OPTIONS',
        'Access-Control-Allow-Headers': 'Authorization, Accept, Content-Type',
        'Access-Control-Max-Age': '600',
      });
      res.end();
      return;
    }
  }
  if (url === '/.well-known/smart-configuration' || url === `${BASE_PATH}/.well-known/smart-configuration`) {
    send(res, 200, smartConfiguration(ctx.smart()), 'application/json');
    return;
  }
  // Bulk Data checks its own tokens (files may be served without one when requiresAccessToken is false).
  if (ctx.bulk !== undefined && (await ctx.bulk.handle(req, res))) return;
  if (ctx.requireToken !== undefined && req.headers.authorization !== `Bearer ${ctx.requireToken}`) {
    send(res, 401, outcome('login', 'unauthorized'));
    return;
  }
  if (ctx.verifyToken !== undefined) {
    const auth = req.headers.authorization ?? '';
    const token = auth.startsWith('Bearer ') ? auth.slice('Bearer '.length) : '';
    if (token === '' || !(await ctx.verifyToken(token))) {
      send(
        res,
        401,
        outcome('login', 'a bearer token issued by the authorization server is required'),
        undefined,
        {
          'WWW-Authenticate': 'Bearer',
        },
      );
      return;
    }
  }
  if (url !== BASE_PATH && !url.startsWith(`${BASE_PATH}/`) && !url.startsWith(`${BASE_PATH}?`)) {
    send(res, 404, outcome('not-found', 'not under the FHIR base'));
    return;
  }
  const relative = url.slice(BASE_PATH.length).replace(/^\//, '');
  if (method === 'GET' && (relative === 'metadata' || relative.startsWith('metadata?'))) {
    send(res, 200, capabilityStatement(ctx.medplum));
    return;
  }
  const body = await readJsonBody(req);
  if (body === INVALID) {
    send(res, 400, outcome('structure', 'invalid JSON'));
    return;
  }
  if (method === 'POST' && /^[A-Za-z]+\/\$validate$/.test(relative.split('?')[0] ?? '')) {
    send(res, 200, validateOutcome(ctx.medplum, body));
    return;
  }
  if (isWrite(method, relative)) {
    const invalid = validateOutcome(ctx.medplum, body);
    if (invalid.issue.some((i) => i.severity === 'error' || i.severity === 'fatal')) {
      send(res, 400, invalid);
      return;
    }
  }
  if (method === 'POST' && relative === '') {
    const invalid = invalidTransactionEntry(ctx, body);
    if (invalid !== undefined) {
      send(res, 400, invalid);
      return;
    }
  }
  await route(ctx, method, relative, body, req.headers, res);
}

async function route(
  ctx: HandlerContext,
  method: string,
  relative: string,
  body: unknown,
  headers: IncomingHttpHeaders,
  res: ServerResponse,
): Promise<void> {
  const request = { ...fhirRequest(method, relative, body), headers };
  const [oo, resource] = await ctx.router.handleRequest(request, ctx.repo);
  const status = ctx.medplum.core.getStatus(oo);
  if (resource === undefined) {
    send(res, status, oo);
    return;
  }
  let out = resource as Resource;
  if (out.resourceType === 'Bundle' && (out as Bundle).type === 'searchset') {
    out = addSearchLinks(out as Bundle, ctx.baseUrl, relative);
  }
  const extra: Record<string, string> = {};
  if (out.meta?.versionId !== undefined) extra.ETag = `W/"${out.meta.versionId}"`;
  if (status === 201 && out.id !== undefined) extra.Location = `${ctx.baseUrl}/${out.resourceType}/${out.id}`;
  send(res, status, out, 'application/fhir+json', extra);
}

/**
 * A transaction is all or nothing, so each entry's resource is validated like a direct write before
 * any is stored (Medplum's router does not); the first invalid entry is named in the OperationOutcome.
 */
function invalidTransactionEntry(ctx: HandlerContext, body: unknown): OperationOutcome | undefined {
  const bundle = body as Bundle | undefined;
  if (bundle?.resourceType !== 'Bundle' || bundle.type !== 'transaction') return undefined;
  for (const [i, entry] of (bundle.entry ?? []).entries()) {
    if (entry.resource === undefined) continue;
    const oo = validateOutcome(ctx.medplum, entry.resource);
    const error = oo.issue.find((x) => x.severity === 'error' || x.severity === 'fatal');
    if (error === undefined) continue;
    const at = `Bundle.entry[${String(i)}].resource`;
    return {
      resourceType: 'OperationOutcome',
      issue: [
        {
          ...error,
          diagnostics: `${at} (${entry.resource.resourceType}/${entry.resource.id ?? '?'}): ${error.diagnostics ?? error.details?.text ?? 'invalid'}`,
          expression: [at, ...(error.expression ?? [])],
        },
      ],
    };
  }
  return undefined;
}

function isWrite(method: string, relative: string): boolean {
  const path = relative.split('?')[0] ?? '';
  if (method === 'POST') return /^[A-Za-z]+$/.test(path);
  return method === 'PUT' && /^[A-Za-z]+\/[^/]+$/.test(path);
}

export function fhirRequest(
  method: string,
  url: string,
  body: unknown,
): Parameters<HandlerContext['router']['handleRequest']>[0] {
  return { method: method as 'GET', url, pathname: '', body, params: {}, query: {} };
}

const INVALID = Symbol('invalid');

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return INVALID;
  }
}

export function outcome(code: string, diagnostics: string): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code: code as 'invalid', diagnostics }],
  };
}

export function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  contentType = 'application/fhir+json',
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': contentType, ...headers });
  res.end(JSON.stringify(body));
}
