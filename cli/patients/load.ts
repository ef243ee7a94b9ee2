/**
 * Loads the synthetic patient panel into a FHIR server — what `augur patients load` and the sandbox
 * run. Each patient is one transaction Bundle of PUTs with stable ids, so loading twice leaves the same
 * resources (idempotent); where the server has no transactions (its CapabilityStatement lists system
 * interactions without `transaction`, or it answers the transaction with 404/405/501/not-supported),
 * every resource is PUT on its own. Dates move by whole days so the panel's as-of date becomes today.
 */
import { join } from 'node:path';
import type { Bundle, FhirResource } from 'fhir/r4.js';
import { repoRoot } from '../../src/config/paths.js';
import { PanelLoadError } from './errors.js';
import { fhirCall, outcomeCodes, outcomeText, type FhirTarget } from './fhir-http.js';
import { materialise, shiftDays } from './materialise.js';
import { readPanel, type PanelFile } from './panel.js';

export type LoadMode = 'transaction' | 'put';

export interface LoadOptions {
  /** FHIR base URL, e.g. http://127.0.0.1:8103/fhir. */
  fhir: string;
  /** Bearer token for the FHIR server (sent only there). */
  token?: string;
  /** The panel directory (default: examples/patients of this checkout). */
  dir?: string;
  /** The day the panel's as-of date becomes (default: today, UTC). */
  asOf?: Date;
  /** Only these patient ids. */
  patients?: readonly string[];
  /** Force a mode; default: transactions when the server has them, else per-resource PUT. */
  mode?: LoadMode;
  /** Deadline per FHIR call (default 30 s). */
  timeoutMs?: number;
  onProgress?: (p: LoadProgress) => void;
}

export type LoadProgress =
  | { kind: 'start'; total: number; mode: LoadMode; shiftDays: number }
  | { kind: 'fallback'; reason: string }
  | { kind: 'patient'; done: number; total: number; patientId: string; resources: number; mode: LoadMode };

export interface LoadSummary {
  server: string;
  mode: LoadMode;
  /** Why transactions were not used (when they were not). */
  fallbackReason?: string;
  patients: number;
  resources: number;
  /** The panel's as-of date and the day it was loaded as. */
  asOf: string;
  loadedAs: string;
  shiftDays: number;
}

/** examples/patients of this checkout (from the sources or from dist/). */
export const defaultPanelDir = (): string => join(repoRoot(), 'examples', 'patients');

export async function loadPanel(o: LoadOptions): Promise<LoadSummary> {
  const dir = o.dir ?? defaultPanelDir();
  const panel = readPanel(dir, o.patients);
  const target: FhirTarget = { base: baseOf(o.fhir), token: o.token, timeoutMs: o.timeoutMs ?? 30_000 };
  const day = o.asOf ?? new Date();
  const days = shiftDays(panel.asOf, day);
  let mode: LoadMode = o.mode ?? (await detectMode(target));
  let fallbackReason: string | undefined;
  o.onProgress?.({ kind: 'start', total: panel.files.length, mode, shiftDays: days });
  let resources = 0;
  for (const [i, file] of panel.files.entries()) {
    const bundle = materialise(file.bundle, days);
    if (mode === 'transaction') {
      const refused = await sendTransaction(target, file, bundle);
      if (refused !== undefined && o.mode === undefined) {
        mode = 'put';
        fallbackReason = refused;
        o.onProgress?.({ kind: 'fallback', reason: refused });
      } else if (refused !== undefined) {
        throw new PanelLoadError(`${file.file}: the FHIR server refused the transaction (${refused})`, {
          file: file.file,
        });
      }
    }
    if (mode === 'put') await putEach(target, file, bundle);
    const count = bundle.entry?.length ?? 0;
    resources += count;
    o.onProgress?.({
      kind: 'patient',
      done: i + 1,
      total: panel.files.length,
      patientId: file.patientId,
      resources: count,
      mode,
    });
  }
  return {
    server: target.base,
    mode,
    ...(fallbackReason === undefined ? {} : { fallbackReason }),
    patients: panel.files.length,
    resources,
    asOf: panel.asOf,
    loadedAs: new Date(Date.parse(`${panel.asOf}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10),
    shiftDays: days,
  };
}

function baseOf(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new PanelLoadError(`--fhir: "${url}" is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new PanelLoadError(`--fhir: "${url}" is not an http(s) URL`);
  return url.replace(/\/+$/, '');
}

/** The server's own word on transactions (CapabilityStatement), and whether it accepts our token. */
async function detectMode(t: FhirTarget): Promise<LoadMode> {
  const { status, body } = await fhirCall(t, 'GET', 'metadata');
  refusedToken(t, status, 'GET metadata', body);
  if (status !== 200) return 'transaction'; // No CapabilityStatement: try, and fall back on a refusal.
  const rest = (body as { rest?: { interaction?: { code?: string }[] }[] }).rest ?? [];
  const declared = rest.flatMap((r) => r.interaction ?? []).map((i) => i.code);
  return declared.length > 0 && !declared.includes('transaction') ? 'put' : 'transaction';
}

function refusedToken(t: FhirTarget, status: number, what: string, body: unknown): void {
  if (status !== 401 && status !== 403) return;
  const why = t.token === undefined ? 'it needs a token (--token)' : 'it refused the token';
  throw new PanelLoadError(
    `the FHIR server at ${t.base} answered ${String(status)} to ${what}: ${why} (${outcomeText(body)})`,
  );
}

/** Sends one patient's transaction; returns why transactions are unsupported, or throws on a real failure. */
async function sendTransaction(
  t: FhirTarget,
  file: PanelFile,
  bundle: Bundle<FhirResource>,
): Promise<string | undefined> {
  const { status, body } = await fhirCall(t, 'POST', '', bundle);
  refusedToken(t, status, `the transaction of ${file.file}`, body);
  if (status === 404 || status === 405 || status === 501 || outcomeCodes(body).includes('not-supported'))
    return `POST ${t.base} answered ${String(status)}: ${outcomeText(body)}`;
  if (status >= 400) {
    const ref = entryNamed(bundle, body);
    if (ref !== undefined)
      throw new PanelLoadError(
        `${file.file}: ${ref} is invalid for this server (${String(status)} ${outcomeText(body)})`,
        { file: file.file, resource: ref },
      );
    // The server did not say which entry: the per-resource PUTs name it (as idempotent as the transaction).
    await putEach(t, file, bundle);
    throw new PanelLoadError(
      `${file.file}: the transaction failed (${String(status)} ${outcomeText(body)}) although each resource loads alone`,
      { file: file.file },
    );
  }
  const entries = (body as { entry?: { response?: { status?: string } }[] } | undefined)?.entry ?? [];
  entries.forEach((e, i) => {
    if (!/^2\d\d/.test(e.response?.status ?? '')) {
      const ref = resourceRef(bundle, i);
      throw new PanelLoadError(`${file.file}: ${ref} was not stored (${e.response?.status ?? 'no status'})`, {
        file: file.file,
        resource: ref,
      });
    }
  });
  return undefined;
}

/** The entry an OperationOutcome points at (`Bundle.entry[3]…` in an expression or the diagnostics). */
function entryNamed(bundle: Bundle<FhirResource>, body: unknown): string | undefined {
  const m = /entry\[(\d+)\]/.exec(JSON.stringify(body ?? ''));
  return m === null ? undefined : resourceRef(bundle, Number(m[1]));
}

const resourceRef = (bundle: Bundle<FhirResource>, i: number): string => {
  const r = bundle.entry?.[i]?.resource;
  return `${r?.resourceType ?? 'resource'}/${r?.id ?? String(i)}`;
};

async function putEach(t: FhirTarget, file: PanelFile, bundle: Bundle<FhirResource>): Promise<void> {
  for (const [i, entry] of (bundle.entry ?? []).entries()) {
    const ref = resourceRef(bundle, i);
    const { status, body } = await fhirCall(t, 'PUT', ref, entry.resource);
    refusedToken(t, status, `PUT ${ref}`, body);
    if (status !== 200 && status !== 201)
      throw new PanelLoadError(`${file.file}: ${ref} was refused (${String(status)} ${outcomeText(body)})`, {
        file: file.file,
        resource: ref,
      });
  }
}
