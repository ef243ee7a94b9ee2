/**
 * A FHIR Bulk Data Access (IG 2.0) export client: kick-off (system, Patient or Group level) with
 * `Prefer: respond-async`, polling `Content-Location` honouring `Retry-After` (capped, under a total
 * deadline), then streaming each output file to `<dir>/<Type>-<n>.ndjson`.
 *
 * Tokens go only to the FHIR server's origin, under its base: an output file elsewhere is downloaded
 * without a token, and only when the manifest says `requiresAccessToken: false`. No redirect is followed.
 *
 * Progress is kept in `<dir>/bulk-export.json` (the status URL, then the manifest and each completed file):
 * running again with the same folder resumes — polling the same job, and downloading only files not
 * completed. A failed file is reported (type, file, reason), the others still downloaded.
 */
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { isUnderBase, parseBaseUrl, resolveUrl } from '../fhir/urls.js';
import { message, type TokenSource } from './backend-auth.js';
import { BulkDataError, describeBody } from './errors.js';

export type ExportLevel = { kind: 'system' } | { kind: 'patient' } | { kind: 'group'; id: string };

export interface ExportOptions {
  fhirBase: string;
  level: ExportLevel;
  /** Where the NDJSON files go (created when missing). */
  dir: string;
  /** Backend Services tokens; without one, requests carry no token (an open server). */
  tokens?: TokenSource;
  types?: readonly string[];
  /** `_since` (FHIR instant). */
  since?: string;
  /** Longest wait between polls, whatever `Retry-After` asks (default 60 s). */
  maxRetryAfterMs?: number;
  /** Wait when a 202 carries no `Retry-After` (default 2 s). */
  defaultRetryAfterMs?: number;
  /** Whole-export deadline, kick-off to last file (default 6 hours). */
  deadlineMs?: number;
  /** Attempts per file after the first (default 1). */
  fileRetries?: number;
  signal?: AbortSignal;
  onProgress?: (e: ExportProgress) => void;
}

export type ExportProgress =
  | { step: 'kicked-off' | 'resumed-job'; statusUrl: string }
  | { step: 'waiting'; progress: string | undefined; waitMs: number }
  | { step: 'manifest'; files: number; resources: number }
  | { step: 'file'; type: string; file: string; count: number | undefined; skipped: boolean };

export interface ExportedFile {
  type: string;
  /** File name inside `dir`. */
  file: string;
  count: number | undefined;
  bytes: number;
  /** Already complete from an earlier run: not fetched again. */
  skipped: boolean;
}

export interface FailedFile {
  type: string;
  file: string;
  reason: string;
}

export interface ExportResult {
  dir: string;
  transactionTime: string;
  files: ExportedFile[];
  failed: FailedFile[];
  /** Files of OperationOutcomes the server listed under `error` (saved as `errors-<n>.ndjson.txt`). */
  serverErrors: number;
}

interface Manifest {
  transactionTime: string;
  request: string;
  requiresAccessToken: boolean;
  output: { type: string; url: string; count?: number }[];
  error?: { type: string; url: string }[];
}

interface State {
  fhirBase: string;
  request: string;
  statusUrl: string;
  manifest?: Manifest;
  completed: Record<string, { bytes: number }>;
}

export const STATE_FILE = 'bulk-export.json';

export function kickOffUrl(o: Pick<ExportOptions, 'fhirBase' | 'level' | 'types' | 'since'>): string {
  const base = parseBaseUrl(o.fhirBase);
  const path =
    o.level.kind === 'system'
      ? '$export'
      : o.level.kind === 'patient'
        ? 'Patient/$export'
        : `Group/${encodeURIComponent(o.level.id)}/$export`;
  const url = resolveUrl(base, path);
  if (o.types !== undefined && o.types.length > 0) url.searchParams.set('_type', o.types.join(','));
  if (o.since !== undefined) url.searchParams.set('_since', o.since);
  return url.toString();
}

export async function bulkExport(o: ExportOptions): Promise<ExportResult> {
  const base = parseBaseUrl(o.fhirBase);
  const request = kickOffUrl(o);
  const deadline = Date.now() + (o.deadlineMs ?? 6 * 3_600_000);
  mkdirSync(o.dir, { recursive: true });
  const statePath = join(o.dir, STATE_FILE);
  let state = readState(statePath, base.toString(), request);
  const save = (s: State): Promise<void> => writeFile(statePath, `${JSON.stringify(s, null, 2)}\n`);
  const auth = async (url: URL): Promise<Record<string, string>> => {
    // The token only under this FHIR base (same origin and path): never to another host.
    if (o.tokens === undefined || !isUnderBase(base, url)) return {};
    return { authorization: `Bearer ${await o.tokens.token()}` };
  };

  if (state === undefined) {
    const statusUrl = await kickOff(o, base, request, auth);
    state = { fhirBase: base.toString(), request, statusUrl, completed: {} };
    await save(state);
    o.onProgress?.({ step: 'kicked-off', statusUrl });
  } else if (state.manifest === undefined) {
    o.onProgress?.({ step: 'resumed-job', statusUrl: state.statusUrl });
  }

  if (state.manifest === undefined) {
    state.manifest = await poll(o, base, state.statusUrl, deadline, auth);
    await save(state);
    o.onProgress?.({
      step: 'manifest',
      files: state.manifest.output.length,
      resources: state.manifest.output.reduce((n, f) => n + (f.count ?? 0), 0),
    });
  }
  const manifest = state.manifest;

  const files: ExportedFile[] = [];
  const failed: FailedFile[] = [];
  const perType = new Map<string, number>();
  for (const out of manifest.output) {
    const n = (perType.get(out.type) ?? 0) + 1;
    perType.set(out.type, n);
    const file = `${out.type}-${String(n)}.ndjson`;
    const done = state.completed[file];
    const path = join(o.dir, file);
    if (done !== undefined && existsSync(path) && statSync(path).size === done.bytes) {
      files.push({ type: out.type, file, count: out.count, bytes: done.bytes, skipped: true });
      o.onProgress?.({ step: 'file', type: out.type, file, count: out.count, skipped: true });
      continue;
    }
    try {
      const bytes = await downloadWithRetries(o, base, manifest, out.url, path, deadline, auth);
      state.completed[file] = { bytes };
      await save(state);
      files.push({ type: out.type, file, count: out.count, bytes, skipped: false });
      o.onProgress?.({ step: 'file', type: out.type, file, count: out.count, skipped: false });
    } catch (err) {
      if (err instanceof BulkDataError && (err.kind === 'cancelled' || err.kind === 'deadline')) throw err;
      failed.push({ type: out.type, file, reason: message(err) });
    }
  }
  let serverErrors = 0;
  for (const [i, e] of (manifest.error ?? []).entries()) {
    const file = `errors-${String(i + 1)}.ndjson.txt`;
    try {
      await downloadWithRetries(o, base, manifest, e.url, join(o.dir, file), deadline, auth);
      serverErrors += 1;
    } catch (err) {
      failed.push({ type: 'OperationOutcome', file, reason: message(err) });
    }
  }
  return { dir: o.dir, transactionTime: manifest.transactionTime, files, failed, serverErrors };
}

function readState(path: string, fhirBase: string, request: string): State | undefined {
  if (!existsSync(path)) return undefined;
  const s = JSON.parse(readFileSync(path, 'utf8')) as State;
  // Another server or another request: start afresh (its files are overwritten as they come).
  if (s.fhirBase !== fhirBase || s.request !== request) return undefined;
  return s;
}

type Auth = (url: URL) => Promise<Record<string, string>>;

async function call(o: ExportOptions, url: URL, init: RequestInit, what: string): Promise<Response> {
  try {
    return await fetch(url, { ...init, redirect: 'manual', signal: o.signal ?? null });
  } catch (err) {
    if (o.signal?.aborted === true) throw new BulkDataError('cancelled', 'export cancelled');
    throw new BulkDataError(what === 'kick-off' ? 'kickoff' : 'job', `${what} failed: ${message(err)}`);
  }
}

async function kickOff(o: ExportOptions, base: URL, request: string, auth: Auth): Promise<string> {
  const url = new URL(request);
  const res = await call(
    o,
    url,
    { headers: { accept: 'application/fhir+json', prefer: 'respond-async', ...(await auth(url)) } },
    'kick-off',
  );
  const text = await res.text();
  if (res.status !== 202)
    throw new BulkDataError(
      'kickoff',
      `kick-off refused (${String(res.status)} ${describeBody(text)})`,
      res.status,
    );
  const location = res.headers.get('content-location');
  if (location === null) throw new BulkDataError('kickoff', 'kick-off answered 202 without Content-Location');
  const statusUrl = resolveUrl(base, location);
  if (!isUnderBase(base, statusUrl) && statusUrl.origin !== base.origin)
    throw new BulkDataError('kickoff', 'the status URL is on another origin (not polled with the token)');
  return statusUrl.toString();
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

async function poll(
  o: ExportOptions,
  base: URL,
  statusUrl: string,
  deadline: number,
  auth: Auth,
): Promise<Manifest> {
  const url = new URL(statusUrl);
  for (;;) {
    const res = await call(
      o,
      url,
      { headers: { accept: 'application/json', ...(await auth(url)) } },
      'status',
    );
    const text = await res.text();
    if (res.status === 200) return readManifest(text, base);
    if (res.status !== 202 && res.status !== 429)
      throw new BulkDataError(
        'job',
        `the export job failed (status ${String(res.status)} ${describeBody(text)})`,
        res.status,
      );
    const asked = retryAfterMs(res.headers.get('retry-after')) ?? o.defaultRetryAfterMs ?? 2000;
    const wait = Math.min(asked, o.maxRetryAfterMs ?? 60_000);
    if (Date.now() + wait > deadline)
      throw new BulkDataError('deadline', 'the export did not finish before the deadline');
    o.onProgress?.({ step: 'waiting', progress: res.headers.get('x-progress') ?? undefined, waitMs: wait });
    await sleep(wait, o.signal);
  }
}

function readManifest(text: string, base: URL): Manifest {
  let m: Partial<Manifest>;
  try {
    m = JSON.parse(text) as Partial<Manifest>;
  } catch {
    throw new BulkDataError('manifest', 'the completed export returned a manifest that is not JSON');
  }
  if (typeof m.transactionTime !== 'string' || !Array.isArray(m.output))
    throw new BulkDataError('manifest', 'the manifest lacks transactionTime or output');
  for (const f of m.output) {
    if (typeof f.type !== 'string' || !/^[A-Za-z]+$/.test(f.type) || typeof f.url !== 'string')
      throw new BulkDataError('manifest', 'a manifest output entry lacks a resource type or url');
    resolveUrl(base, f.url);
  }
  return {
    transactionTime: m.transactionTime,
    request: m.request ?? '',
    requiresAccessToken: m.requiresAccessToken !== false,
    output: m.output,
    error: Array.isArray(m.error) ? m.error : [],
  };
}

async function downloadWithRetries(
  o: ExportOptions,
  base: URL,
  manifest: Manifest,
  fileUrl: string,
  path: string,
  deadline: number,
  auth: Auth,
): Promise<number> {
  const url = resolveUrl(base, fileUrl);
  if (!isUnderBase(base, url) && manifest.requiresAccessToken)
    throw new BulkDataError(
      'foreign-file',
      `file on another server (${url.origin}) requires the access token: not downloaded (tokens go only to the FHIR server)`,
    );
  const attempts = 1 + (o.fileRetries ?? 1);
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    if (Date.now() > deadline)
      throw new BulkDataError('deadline', 'the export did not finish before the deadline');
    try {
      return await download(o, url, path, manifest.requiresAccessToken ? await auth(url) : {});
    } catch (err) {
      if (o.signal?.aborted === true) throw new BulkDataError('cancelled', 'export cancelled');
      last = err;
    }
  }
  throw last instanceof Error ? last : new BulkDataError('download', 'download failed');
}

/** Streams one file to `<path>.part`, renamed to `path` once complete; returns its size. */
async function download(
  o: ExportOptions,
  url: URL,
  path: string,
  headers: Record<string, string>,
): Promise<number> {
  const res = await call(o, url, { headers: { accept: 'application/fhir+ndjson', ...headers } }, 'download');
  if (res.status !== 200 || res.body === null) {
    const text = await res.text().catch(() => '');
    throw new BulkDataError(
      'download',
      `download answered ${String(res.status)} (${describeBody(text)})`,
      res.status,
    );
  }
  const part = `${path}.part`;
  let bytes = 0;
  const count = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  const out = createWriteStream(part);
  try {
    await pipeline(Readable.fromWeb(res.body as unknown as WebReadableStream<Uint8Array>), count, out);
  } catch (err) {
    // The write stream may still be opening its file when the download fails: wait until it has
    // closed, or the file would appear after the removal and a `.part` would be left behind.
    if (!out.closed)
      await new Promise<void>((resolve) => {
        out.once('close', () => {
          resolve();
        });
      });
    rmSync(part, { force: true });
    throw new BulkDataError('download', `download interrupted after ${String(bytes)} bytes: ${message(err)}`);
  }
  const declared = Number(res.headers.get('content-length') ?? 'NaN');
  if (Number.isFinite(declared) && declared !== bytes) {
    rmSync(part, { force: true });
    throw new BulkDataError('download', `download ended at ${String(bytes)} of ${String(declared)} bytes`);
  }
  renameSync(part, path);
  return bytes;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(new BulkDataError('cancelled', 'export cancelled'));
      return;
    }
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(new BulkDataError('cancelled', 'export cancelled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
