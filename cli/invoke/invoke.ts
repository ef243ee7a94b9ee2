/**
 * `augur invoke`: plays the EHR. Discovery → for each service of the hook (or the one named) fill the
 * prefetch from its templates against the FHIR server as an EHR does (or leave it to Augur) → sign a
 * JWT with the CLI's key (no `jku`; `aud` = the URL called) → POST the hook → print the cards (and the
 * trace). On a 401 it asks `POST /api/auth/diagnose` why, and prints the reasons.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { SignJWT } from 'jose';
import type { Bundle, MedicationRequest } from 'fhir/r4.js';
import type { CdsResponse } from '../../src/cds/types.js';
import type { Trace } from '../../src/trace/types.js';
import { CliError } from '../errors.js';
import type { LocalKey } from '../keys/local-key.js';
import { fillPrefetch } from './prefetch-fill.js';
import { formatCards, formatTrace } from './print.js';

export type Hook = 'patient-view' | 'order-select' | 'order-sign';
export const HOOKS: readonly Hook[] = ['patient-view', 'order-select', 'order-sign'];

export interface InvokeOptions {
  fhir: string;
  patient: string;
  hook: Hook;
  drafts: MedicationRequest[];
  service?: string;
  /** Augur's base URL (running or in-process). */
  augur: string;
  fhirToken?: string;
  prefetch: boolean;
  trace: boolean;
  json: boolean;
  key: LocalKey;
  write: (s: string) => void;
}

const FHIR_ID = /^[A-Za-z0-9.-]{1,64}$/;
const RXNORM = /^\d{1,12}$/;

export function checkUrl(value: string, option: string): string {
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol))
    throw new CliError(`${option}: "${value}" is not an absolute http(s) URL`, 2);
  return value.replace(/\/+$/, '');
}

export function checkPatient(id: string): string {
  if (!FHIR_ID.test(id))
    throw new CliError(`--patient: "${id}" is not a FHIR id ([A-Za-z0-9-.], 1–64 characters)`, 2);
  return id;
}

/** `--draft`: an RxNorm code (a draft MedicationRequest is built) or a JSON file (MedicationRequest or Bundle). */
export function draftsFrom(value: string | undefined, hook: Hook, patient: string): MedicationRequest[] {
  if (hook === 'patient-view') {
    if (value !== undefined) throw new CliError('--draft is for order-select and order-sign only', 2);
    return [];
  }
  if (value === undefined)
    throw new CliError(`--draft is required for ${hook}: an RxNorm code (e.g. 32968) or a JSON file`, 2);
  if (RXNORM.test(value)) return [rxnormDraft(value, patient)];
  if (!existsSync(value))
    throw new CliError(
      `--draft: "${value}" is neither an RxNorm code (digits, e.g. 32968 for clopidogrel) nor an existing file`,
      2,
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(value, 'utf8'));
  } catch (err) {
    throw new CliError(`--draft: ${value} is not JSON (${(err as Error).message})`, 2);
  }
  const r = parsed as { resourceType?: unknown; entry?: { resource?: { resourceType?: unknown } }[] };
  const list =
    r.resourceType === 'Bundle'
      ? (r.entry ?? []).map((e) => e.resource)
      : r.resourceType === 'MedicationRequest'
        ? [parsed]
        : [];
  const drafts = list.filter(
    (x): x is MedicationRequest =>
      (x as { resourceType?: unknown } | undefined)?.resourceType === 'MedicationRequest' &&
      typeof (x as { id?: unknown }).id === 'string',
  );
  if (drafts.length === 0 || drafts.length !== list.length)
    throw new CliError(`--draft: ${value} must hold a MedicationRequest with an id, or a Bundle of them`, 2);
  return drafts;
}

function rxnormDraft(code: string, patient: string): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    id: `augur-cli-draft-${code}`,
    status: 'draft',
    intent: 'order',
    subject: { reference: `Patient/${patient}` },
    medicationCodeableConcept: {
      coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code }],
      text: `RxNorm ${code}`,
    },
  };
}

/** A hook-call JWT signed with the CLI key (also the population bench's baseline). */
export async function sign(key: LocalKey, aud: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES384', kid: key.kid, typ: 'JWT' })
    .setIssuer(key.iss)
    .setAudience(aud)
    .setIssuedAt(now)
    .setExpirationTime(now + 300)
    .setJti(randomUUID())
    .sign(key.privateKey);
}

/** fetch, with an unreachable server turned into a CliError naming it and why. */
async function reach(what: string, url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(30_000) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (err as Error).message;
    throw new CliError(`cannot reach ${what} at ${url}: ${why}`);
  }
}

interface Discovered {
  id: string;
  hook: string;
  prefetch?: Record<string, string>;
}

/** The FHIR server and the patient, checked first: a clear error before anything is signed or started. */
export async function checkFhirPatient(fhir: string, patient: string, fhirToken?: string): Promise<void> {
  const o = { fhir, patient, fhirToken };
  // The FHIR server and the patient first: a clear error before anything is signed.
  const headers: Record<string, string> = { accept: 'application/fhir+json' };
  if (o.fhirToken !== undefined) headers['authorization'] = `Bearer ${o.fhirToken}`;
  const patientUrl = `${o.fhir}/Patient/${o.patient}`;
  const p = await reach('the FHIR server', patientUrl, { headers });
  if (p.status === 404) throw new CliError(`patient ${o.patient} not found on ${o.fhir} (404)`);
  if (p.status === 401 || p.status === 403)
    throw new CliError(
      `the FHIR server refused ${patientUrl} (${String(p.status)}): ${o.fhirToken === undefined ? 'it needs --fhir-token' : 'check --fhir-token'}`,
    );
  if (p.status !== 200) throw new CliError(`the FHIR server answered ${String(p.status)} for ${patientUrl}`);
}

/** Runs the invocation; resolves the exit code (0, or 1 when a call was refused). */
export async function invoke(o: InvokeOptions): Promise<number> {
  const discoveryUrl = `${o.augur}/cds-services`;
  const d = await reach('Augur', discoveryUrl, {
    headers: { authorization: `Bearer ${await sign(o.key, discoveryUrl)}` },
  });
  if (d.status !== 200)
    throw new CliError(`Augur's discovery (${discoveryUrl}) answered ${String(d.status)}`);
  const services = ((await d.json()) as { services: Discovered[] }).services;
  const chosen = services.filter((s) => (o.service === undefined ? s.hook === o.hook : s.id === o.service));
  if (chosen.length === 0)
    throw new CliError(
      o.service === undefined
        ? `Augur at ${o.augur} has no service for ${o.hook}`
        : `Augur at ${o.augur} has no service "${o.service}" (it has: ${services.map((s) => s.id).join(', ')})`,
      o.service === undefined ? 1 : 2,
    );
  const wrongHook = chosen.find((s) => s.hook !== o.hook);
  if (wrongHook !== undefined)
    throw new CliError(
      `--service ${wrongHook.id} answers ${wrongHook.hook}, not ${o.hook} (use --hook ${wrongHook.hook})`,
      2,
    );

  let code = 0;
  const raw: Record<string, unknown> = {};
  for (const s of chosen) {
    const result = await callService(o, s);
    if (result.status !== 200) code = 1;
    raw[s.id] = result.body;
    if (!o.json) o.write(result.text);
  }
  if (o.json) o.write(`${JSON.stringify(raw, null, 2)}\n`);
  return code;
}

async function callService(
  o: InvokeOptions,
  s: Discovered,
): Promise<{ status: number; body: unknown; text: string }> {
  let prefetch: Record<string, unknown> = {};
  if (o.prefetch) {
    try {
      prefetch = await fillPrefetch(s.prefetch ?? {}, {
        fhirBase: o.fhir,
        patientId: o.patient,
        userId: 'Practitioner/augur-cli',
        ...(o.fhirToken === undefined ? {} : { token: o.fhirToken }),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      throw new CliError(
        `filling the prefetch of ${s.id} from ${o.fhir} failed: ${cause ?? (err as Error).message}`,
      );
    }
  }
  const url = `${o.augur}/cds-services/${s.id}`;
  const draftOrders: Bundle = {
    resourceType: 'Bundle',
    type: 'collection',
    entry: o.drafts.map((resource) => ({ resource })),
  };
  const body = {
    hook: o.hook,
    hookInstance: randomUUID(),
    fhirServer: o.fhir,
    ...(o.fhirToken === undefined
      ? {}
      : {
          fhirAuthorization: {
            access_token: o.fhirToken,
            token_type: 'Bearer',
            expires_in: 300,
            scope: 'patient/*.read',
            subject: 'augur-cli',
            patient: o.patient,
          },
        }),
    context: {
      userId: 'Practitioner/augur-cli',
      patientId: o.patient,
      ...(o.hook === 'patient-view' ? {} : { draftOrders }),
      ...(o.hook === 'order-select'
        ? { selections: o.drafts.map((d) => `MedicationRequest/${d.id ?? ''}`) }
        : {}),
    },
    ...(o.prefetch ? { prefetch } : {}),
  };
  const token = await sign(o.key, url);
  const res = await reach('Augur', url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      ...(o.trace ? { 'augur-trace': '1' } : {}),
    },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  const head = `── ${s.id} (${o.hook}, ${o.prefetch ? `prefetch filled by the CLI: ${Object.keys(prefetch).join(', ') || 'none'}` : 'no prefetch: Augur fetches'})\n`;
  if (res.status === 401) {
    const reasons = await diagnose(o, token, url);
    return { status: 401, body: json, text: `${head}refused: 401 (authentication)\n${reasons}` };
  }
  if (res.status !== 200) {
    const issue = (json as { issue?: { diagnostics?: string }[] } | undefined)?.issue?.[0]?.diagnostics;
    return {
      status: res.status,
      body: json,
      text: `${head}refused: ${String(res.status)}${issue === undefined ? '' : ` — ${issue}`}\n\n`,
    };
  }
  const response = json as CdsResponse;
  const trace = response.extension?.['augur-trace'] as Trace | undefined;
  let out = head + formatCards(response.cards);
  if (o.trace)
    out +=
      trace === undefined
        ? 'trace: not sent — the client entry for this key needs "trace": true (augur keys prints it)\n'
        : formatTrace(trace);
  return { status: 200, body: json, text: `${out}\n` };
}

async function diagnose(o: InvokeOptions, token: string, url: string): Promise<string> {
  const res = await reach('Augur', `${o.augur}/api/auth/diagnose`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token, url }),
  });
  if (res.status !== 200)
    return `Augur does not say why (its config has no client with this key and "trace": true — ${o.key.iss}); run augur keys and add the entry it prints to AUGUR_CONFIG\n\n`;
  const d = (await res.json()) as { accepted: boolean; reasons: string[] };
  if (d.accepted)
    return 'Augur would accept this token now (the refusal was transient, e.g. a rate limit)\n\n';
  return `why, from Augur:\n${d.reasons.map((r) => `  - ${r}\n`).join('')}\n`;
}
