/**
 * A FHIR Bulk Data Access (IG 2.0) `$export` front end over the in-memory FHIR server. Medplum's
 * `@medplum/fhir-router` has no `$export` (its server package has, over PostgreSQL), so this small,
 * spec-shaped one serves the tests and the sandbox:
 *
 * - kick-off: `GET|POST [base]/$export`, `[base]/Patient/$export`, `[base]/Group/[id]/$export`, with
 *   `Prefer: respond-async` (required), `_type`, `_since`, `_outputFormat` (NDJSON only) → 202 with
 *   `Content-Location`; a bad kick-off is a 4xx OperationOutcome;
 * - status: `GET [base]/$export-status/[job]` → 202 with `X-Progress` and `Retry-After` while running, then
 *   200 with the manifest `{transactionTime, request, requiresAccessToken, output: [{type, url, count}],
 *   error: []}`; a failed job → 500 OperationOutcome; `DELETE` cancels (202, then 404);
 * - files: `GET [base]/$export-file/[job]/[Type].ndjson` (`application/fhir+ndjson`), with the token
 *   when `requiresAccessToken`.
 *
 * Faults a real server produces but cannot be asked for (a job that fails, a connection dropped in the
 * middle of a file) are switched on per server with `faults`, for the error-case tests.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Resource } from 'fhir/r4.js';
import type { HandlerContext } from './handler.js';

/** The types exported when `_type` is absent (and the only ones `_type` may name): the clinical record's. */
export const DEFAULT_EXPORT_TYPES = [
  'Patient',
  'Observation',
  'Condition',
  'MedicationRequest',
  'MedicationStatement',
  'ServiceRequest',
  'AllergyIntolerance',
  'Procedure',
  'Encounter',
  'DiagnosticReport',
  'Immunization',
  'FamilyMemberHistory',
  'CarePlan',
  'Goal',
  'DocumentReference',
  'Device',
  'Specimen',
  'Coverage',
] as const;

export interface BulkExportOptions {
  /**
   * Who may export: the bearer token is checked by this (the sandbox: an access token of the
   * authorization server carrying a `system/` read scope). Without it, the FHIR server's own token rule applies.
   */
  authorize?: (token: string) => Promise<boolean>;
  /** Manifest `requiresAccessToken` (default true): when false, files are served without a token. */
  requiresAccessToken?: boolean;
  /** `Retry-After` seconds on a 202 status (default 1). */
  retryAfterSeconds?: number;
  /** How many status polls answer 202 before the manifest (default 1). */
  pollsBeforeDone?: number;
  /** Where file URLs point (default the FHIR base); another origin serves them only when requiresAccessToken is false. */
  filesBaseUrl?: string;
  faults?: BulkExportFaults;
}

export interface BulkExportFaults {
  /** The job fails: its status URL answers 500 with this OperationOutcome diagnostic. */
  failJob?: string;
  /** The download of this type's file stops after `afterBytes` bytes (connection destroyed), `times` times. */
  failDownload?: { type: string; afterBytes: number; times: number };
}

interface Job {
  id: string;
  request: string;
  transactionTime: string;
  polls: number;
  files?: Map<string, { type: string; body: string; count: number }>;
  error?: string;
}

export interface BulkExport {
  /** Answers the request when it is a bulk-data one (returns true), else leaves it to the FHIR server. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Files served (with name), for tests that check a resumed download skipped completed ones. */
  readonly downloads: string[];
  /** Jobs kicked off (ids). */
  readonly jobs: string[];
  setFaults(faults: BulkExportFaults): void;
  /** Points the manifest's file URLs elsewhere (e.g. the same server named `localhost`: another origin). */
  setFilesBaseUrl(url: string | undefined): void;
}

const PAGE = 1000;

export function createBulkExport(ctx: HandlerContext, opts: BulkExportOptions = {}): BulkExport {
  const jobs = new Map<string, Job>();
  const downloads: string[] = [];
  let faults: BulkExportFaults = { ...opts.faults };
  const requiresToken = opts.requiresAccessToken ?? true;
  let filesBaseUrl = opts.filesBaseUrl;

  const authorized = async (req: IncomingMessage): Promise<boolean> => {
    const auth = req.headers.authorization ?? '';
    const token = auth.startsWith('Bearer ') ? auth.slice('Bearer '.length) : '';
    if (opts.authorize !== undefined) return token !== '' && (await opts.authorize(token));
    if (ctx.requireToken !== undefined) return token === ctx.requireToken;
    if (ctx.verifyToken !== undefined) return token !== '' && (await ctx.verifyToken(token));
    return true;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? '/', ctx.baseUrl);
    const base = new URL(ctx.baseUrl);
    const path = url.pathname.slice(base.pathname.length);
    const method = req.method ?? 'GET';
    const kickoff = /^\/(?:\$export|Patient\/\$export|Group\/([^/]+)\/\$export)$/.exec(path);
    const status = /^\/\$export-status\/([\w-]+)$/.exec(path);
    const file = /^\/\$export-file\/([\w-]+)\/([A-Za-z]+)\.ndjson$/.exec(path);
    if (kickoff === null && status === null && file === null) return false;
    const needsToken = file === null || requiresToken;
    if (needsToken && !(await authorized(req))) {
      reply(res, 401, oo('login', 'a bearer token with a system read scope is required for bulk export'), {
        'WWW-Authenticate': 'Bearer',
      });
      return true;
    }
    if (kickoff !== null) await kickOff(req, res, url, path, kickoff[1]);
    else if (status?.[1] !== undefined) answerStatus(method, res, status[1]);
    else if (file?.[1] !== undefined && file[2] !== undefined) serveFile(method, res, file[1], file[2]);
    return true;
  };

  const kickOff = async (
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    path: string,
    groupId: string | undefined,
  ): Promise<void> => {
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'POST') {
      reply(res, 405, oo('not-supported', 'kick-off is GET or POST'), { Allow: 'GET, POST' });
      return;
    }
    const params = await kickOffParams(req, url);
    if (typeof params === 'string') {
      reply(res, 400, oo('invalid', params));
      return;
    }
    if (!/(^|[,;\s])respond-async($|[,;\s])/.test(String(req.headers.prefer ?? ''))) {
      reply(res, 400, oo('invalid', 'the Prefer header must be respond-async'));
      return;
    }
    const accept = req.headers.accept;
    if (accept !== undefined && !/application\/fhir\+json|application\/json|\*\/\*/.test(accept)) {
      reply(res, 400, oo('invalid', 'the Accept header must be application/fhir+json'));
      return;
    }
    let members: Set<string> | undefined;
    if (groupId !== undefined) {
      const group = await ctx.repo.readResource('Group', groupId).catch(() => undefined);
      if (group === undefined) {
        reply(res, 404, oo('not-found', `Group/${groupId} not found`));
        return;
      }
      const list = (group as { member?: { entity?: { reference?: string } }[] }).member ?? [];
      members = new Set(list.flatMap((m) => m.entity?.reference ?? []));
    }
    const job: Job = {
      id: randomUUID(),
      request: url.toString(),
      transactionTime: new Date().toISOString(),
      polls: 0,
    };
    jobs.set(job.id, job);
    const patientLevel = groupId !== undefined || path === '/Patient/$export';
    run(job, params, patientLevel, members).catch((err: unknown) => {
      job.error = err instanceof Error ? err.message : 'export failed';
    });
    reply(res, 202, oo('informational', 'export started', 'information'), {
      'Content-Location': `${ctx.baseUrl}/$export-status/${job.id}`,
    });
  };

  const run = async (
    job: Job,
    params: { types: string[]; since: string | undefined },
    patientLevel: boolean,
    members: Set<string> | undefined,
  ): Promise<void> => {
    const files = new Map<string, { type: string; body: string; count: number }>();
    for (const type of params.types) {
      const lines: string[] = [];
      for (let offset = 0; ; offset += PAGE) {
        const bundle = (await ctx.repo.search({
          resourceType: type as 'Patient',
          count: PAGE,
          offset,
        })) as { entry?: { resource?: Resource }[] };
        const page = (bundle.entry ?? []).flatMap((e) => (e.resource === undefined ? [] : [e.resource]));
        for (const r of page) {
          if (params.since !== undefined && (r.meta?.lastUpdated ?? '') < params.since) continue;
          if (patientLevel) {
            const ref = patientOf(r);
            if (ref === undefined || (members !== undefined && !members.has(ref))) continue;
          }
          lines.push(JSON.stringify(r));
        }
        if (page.length < PAGE) break;
      }
      if (lines.length > 0) files.set(type, { type, body: `${lines.join('\n')}\n`, count: lines.length });
    }
    job.files = files;
  };

  const answerStatus = (method: string, res: ServerResponse, id: string): void => {
    const job = jobs.get(id);
    if (job === undefined) {
      reply(res, 404, oo('not-found', 'no such export job (finished, cancelled or never started)'));
      return;
    }
    if (method === 'DELETE') {
      jobs.delete(id);
      reply(res, 202, oo('informational', 'export cancelled', 'information'));
      return;
    }
    if (method !== 'GET') {
      reply(res, 405, oo('not-supported', 'status is GET or DELETE'), { Allow: 'GET, DELETE' });
      return;
    }
    job.polls += 1;
    const failure = faults.failJob ?? job.error;
    if (failure !== undefined) {
      reply(res, 500, oo('exception', failure));
      return;
    }
    const done = job.files !== undefined && job.polls > (opts.pollsBeforeDone ?? 1);
    if (!done) {
      res.writeHead(202, {
        'X-Progress': `exporting (status request ${String(job.polls)})`,
        'Retry-After': String(opts.retryAfterSeconds ?? 1),
      });
      res.end();
      return;
    }
    const filesBase = filesBaseUrl ?? ctx.baseUrl;
    const output = [...(job.files?.values() ?? [])].map((f) => ({
      type: f.type,
      url: `${filesBase}/$export-file/${job.id}/${f.type}.ndjson`,
      count: f.count,
    }));
    reply(
      res,
      200,
      {
        transactionTime: job.transactionTime,
        request: job.request,
        requiresAccessToken: requiresToken,
        output,
        error: [],
      },
      { 'Content-Type': 'application/json' },
    );
  };

  const serveFile = (method: string, res: ServerResponse, id: string, type: string): void => {
    const f = jobs.get(id)?.files?.get(type);
    if (method !== 'GET' || f === undefined) {
      reply(res, 404, oo('not-found', 'no such export file'));
      return;
    }
    downloads.push(`${id}/${type}`);
    const fail = faults.failDownload;
    res.writeHead(200, { 'Content-Type': 'application/fhir+ndjson' });
    if (fail?.type === type && fail.times > 0) {
      fail.times -= 1;
      // Part of the file, then the connection drops: a server failing mid-download.
      res.write(f.body.slice(0, fail.afterBytes), () => {
        res.socket?.destroy();
      });
      return;
    }
    res.end(f.body);
  };

  return {
    handle,
    downloads,
    get jobs() {
      return [...jobs.keys()];
    },
    setFaults(f) {
      faults = { ...f };
    },
    setFilesBaseUrl(url) {
      filesBaseUrl = url;
    },
  };
}

/** The Patient reference a resource belongs to (its compartment), e.g. `Patient/p1`. */
function patientOf(r: Resource): string | undefined {
  if (r.resourceType === 'Patient') return r.id === undefined ? undefined : `Patient/${r.id}`;
  const x = r as { subject?: { reference?: string }; patient?: { reference?: string } };
  const ref = x.subject?.reference ?? x.patient?.reference;
  return ref?.startsWith('Patient/') === true ? ref : undefined;
}

/** `_type`, `_since`, `_outputFormat` from the query (GET) or a Parameters body (POST); a string is the error. */
async function kickOffParams(
  req: IncomingMessage,
  url: URL,
): Promise<{ types: string[]; since: string | undefined } | string> {
  const values = new Map<string, string[]>();
  for (const [k, v] of url.searchParams) values.set(k, [...(values.get(k) ?? []), v]);
  if ((req.method ?? 'GET') === 'POST') {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    if (text !== '') {
      let body: { resourceType?: string; parameter?: { name?: string; valueString?: string }[] };
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        return 'the kick-off body is not JSON';
      }
      if (body.resourceType !== 'Parameters') return 'a POST kick-off body must be a Parameters resource';
      for (const p of body.parameter ?? [])
        if (p.name !== undefined && p.valueString !== undefined)
          values.set(p.name, [...(values.get(p.name) ?? []), p.valueString]);
    }
  }
  for (const name of values.keys())
    if (!['_type', '_since', '_outputFormat'].includes(name)) return `unsupported kick-off parameter ${name}`;
  const format = values.get('_outputFormat')?.[0];
  if (format !== undefined && !['application/fhir+ndjson', 'application/ndjson', 'ndjson'].includes(format))
    return `unsupported _outputFormat ${format} (only application/fhir+ndjson)`;
  const since = values.get('_since')?.[0];
  if (since !== undefined && Number.isNaN(Date.parse(since)))
    return `_since must be a FHIR instant, not ${since}`;
  const requested = (values.get('_type') ?? []).flatMap((t) => t.split(',')).map((t) => t.trim());
  const known: readonly string[] = DEFAULT_EXPORT_TYPES;
  const unknown = requested.filter((t) => !known.includes(t));
  if (unknown.length > 0) return `unsupported _type ${unknown.join(', ')}`;
  return {
    types: requested.length > 0 ? [...new Set(requested)] : [...DEFAULT_EXPORT_TYPES],
    since: since === undefined ? undefined : new Date(since).toISOString(),
  };
}

function oo(
  code: string,
  diagnostics: string,
  severity: 'error' | 'information' = 'error',
): Record<string, unknown> {
  return { resourceType: 'OperationOutcome', issue: [{ severity, code, diagnostics }] };
}

function reply(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'Content-Type': 'application/fhir+json', ...headers });
  res.end(JSON.stringify(body));
}
