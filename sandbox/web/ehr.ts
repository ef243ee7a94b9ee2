/**
 * The simulator's EHR side (server-side, like a real EHR's CDS client): builds CDS Hooks requests,
 * fills prefetch from the FHIR server with its own token, signs each call as a trusted client (ES384,
 * `jku` header like the official sandbox, `aud` = the URL called), sends feedback and card-history
 * resets, and registers SMART launches with the authorization server. Every call comes back as an
 * Exchange: what was sent (JWT header and claims, context, prefetch keys) and what came back.
 */
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { RXNORM, type Drug } from './drugs.js';

export const CLINICIAN = 'Practitioner/augur-panel-clinician';

export interface Signer {
  iss: string;
  jku: string;
  publicJwks: { keys: JWK[] };
  sign(aud: string): Promise<string>;
}

export async function createSigner(iss: string, jku: string): Promise<Signer> {
  const { privateKey, publicKey } = await generateKeyPair('ES384');
  const kid = `sandbox-${randomUUID().slice(0, 8)}`;
  const pub = { ...(await exportJWK(publicKey)), kid, alg: 'ES384', use: 'sig' };
  return {
    iss,
    jku,
    publicJwks: { keys: [pub] },
    sign: (aud) =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'ES384', kid, typ: 'JWT', jku })
        .setIssuer(iss)
        .setAudience(aud)
        .setIssuedAt()
        .setExpirationTime('5m')
        .setJti(randomUUID())
        .sign(privateKey),
  };
}

export interface ServiceDef {
  id: string;
  hook: string;
  title?: string;
  description: string;
  prefetch?: Record<string, string>;
}

export interface Exchange {
  service?: string;
  request: {
    method: string;
    url: string;
    jwt: { header: Record<string, unknown>; claims: Record<string, unknown> };
    headers: Record<string, string>;
    body?: unknown;
    /** Prefetch keys sent, and those left out (and why). */
    prefetchSent?: string[];
    prefetchOmitted?: { key: string; why: string }[];
  };
  response: { status: number; body: unknown; trace?: unknown };
  /** For a 401: Augur's diagnosis of the token (`/api/auth/diagnose`), or why there is none. */
  diagnosis?: { accepted: boolean; reasons: string[] } | { unavailable: string };
}

export interface EhrDeps {
  augurUrl: string;
  fhirBase: string;
  signer: Signer;
  /** A `client_credentials` token from the sandbox's authorization server. */
  ehrToken(scope: string): Promise<{ access_token: string; expires_in: number; scope: string }>;
  registerLaunch(c: { patient: string; appContext?: string; encounter?: string }): string;
}

export interface FireInput {
  hook: 'patient-view' | 'order-select' | 'order-sign';
  patientId: string;
  /** RxNorm drugs for the draft order(s) (order hooks). */
  drugs?: Drug[];
  /** The ordering session's encounter (order-select → order-sign de-duplication is scoped to it). */
  encounterId?: string;
  /** Fill prefetch from the FHIR server (else leave every key to Augur). Default true. */
  prefetch?: boolean;
  /** Only this service (default: every service for the hook). */
  serviceId?: string;
}

const FHIR_ID = /^[A-Za-z0-9.-]{1,64}$/;

function decodePart(jwt: string, i: number): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[i] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export class Ehr {
  private discovery: ServiceDef[] | undefined;
  constructor(private readonly d: EhrDeps) {}

  publicJwks(): { keys: JWK[] } {
    return this.d.signer.publicJwks;
  }

  async services(): Promise<ServiceDef[]> {
    if (this.discovery !== undefined) return this.discovery;
    const res = await fetch(`${this.d.augurUrl}/cds-services`);
    if (!res.ok) throw new Error(`Augur discovery answered ${String(res.status)}`);
    const body = (await res.json()) as { services: ServiceDef[] };
    this.discovery = body.services;
    return this.discovery;
  }

  /** A signed call to Augur; a 401 is followed by the diagnosis request. */
  async call(
    method: string,
    path: string,
    body: unknown,
    extra: Partial<Exchange['request']> = {},
  ): Promise<Exchange> {
    const url = `${this.d.augurUrl}${path.split('?')[0] ?? path}`;
    const token = await this.d.signer.sign(url);
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'Augur-Trace': '1' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.d.augurUrl}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const parsed = safeJson(await res.text());
    const ext = (parsed as { extension?: Record<string, unknown> } | undefined)?.extension;
    const exchange: Exchange = {
      request: {
        method,
        url,
        jwt: { header: decodePart(token, 0), claims: decodePart(token, 1) },
        headers: { authorization: 'Bearer <the JWT above>', 'Augur-Trace': '1' },
        ...(body === undefined ? {} : { body: redact(body) }),
        ...extra,
      },
      response: {
        status: res.status,
        body: parsed,
        ...(ext?.['augur-trace'] === undefined ? {} : { trace: ext['augur-trace'] }),
      },
    };
    if (res.status === 401) exchange.diagnosis = await this.diagnose(token, url);
    return exchange;
  }

  private async diagnose(token: string, url: string): Promise<NonNullable<Exchange['diagnosis']>> {
    try {
      const res = await fetch(`${this.d.augurUrl}/api/auth/diagnose`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token, url }),
      });
      if (res.status !== 200)
        return { unavailable: `diagnosis unavailable (Augur answered ${String(res.status)})` };
      const body = (await res.json()) as { accepted?: unknown; reasons?: unknown };
      if (typeof body.accepted !== 'boolean' || !Array.isArray(body.reasons))
        return { unavailable: 'diagnosis unavailable (unexpected answer)' };
      return { accepted: body.accepted, reasons: body.reasons.map(String) };
    } catch (err) {
      return { unavailable: `diagnosis unavailable (${(err as Error).message})` };
    }
  }

  async fire(input: FireInput): Promise<Exchange[]> {
    if (!FHIR_ID.test(input.patientId)) throw new BadInput('patientId must be a FHIR id');
    const services = (await this.services()).filter(
      (s) => s.hook === input.hook && (input.serviceId === undefined || s.id === input.serviceId),
    );
    const drafts = (input.drugs ?? []).map((drug) => draftOrder(input.patientId, drug));
    if (input.hook !== 'patient-view' && drafts.length === 0)
      throw new BadInput(`${input.hook} needs a drug`);
    const context: Record<string, unknown> = { userId: CLINICIAN, patientId: input.patientId };
    if (input.encounterId !== undefined) context['encounterId'] = input.encounterId;
    if (input.hook !== 'patient-view') {
      context['draftOrders'] = {
        resourceType: 'Bundle',
        type: 'collection',
        entry: drafts.map((r) => ({ resource: r })),
      };
      if (input.hook === 'order-select')
        context['selections'] = drafts.map((r) => `MedicationRequest/${r.id}`);
    }
    const auth = await this.d.ehrToken('system/*.rs');
    const out: Exchange[] = [];
    for (const s of services) {
      const { prefetch, sent, omitted } =
        input.prefetch === false
          ? {
              prefetch: {},
              sent: [],
              omitted: Object.keys(s.prefetch ?? {}).map((key) => ({ key, why: 'prefetch switched off' })),
            }
          : await this.fillPrefetch(s.prefetch ?? {}, input.patientId, auth.access_token);
      const body = {
        hookInstance: randomUUID(),
        hook: input.hook,
        fhirServer: this.d.fhirBase,
        fhirAuthorization: {
          access_token: auth.access_token,
          token_type: 'Bearer',
          expires_in: auth.expires_in,
          scope: auth.scope,
          subject: 'augur-sandbox-ehr',
        },
        context,
        ...(sent.length === 0 ? {} : { prefetch }),
      };
      const exchange = await this.call('POST', `/cds-services/${encodeURIComponent(s.id)}`, body, {
        prefetchSent: sent,
        prefetchOmitted: omitted,
      });
      out.push({ ...exchange, service: s.id });
    }
    return out;
  }

  /** As an EHR does: each template resolved for the patient, read with the EHR's token; failed keys left out. */
  private async fillPrefetch(
    templates: Record<string, string>,
    patientId: string,
    token: string,
  ): Promise<{ prefetch: Record<string, unknown>; sent: string[]; omitted: { key: string; why: string }[] }> {
    const prefetch: Record<string, unknown> = {};
    const omitted: { key: string; why: string }[] = [];
    for (const [key, template] of Object.entries(templates)) {
      const query = template
        .replaceAll('{{context.patientId}}', patientId)
        .replaceAll('{{context.userId}}', CLINICIAN);
      if (query.includes('{{')) {
        omitted.push({ key, why: 'template uses a token this EHR does not resolve' });
        continue;
      }
      const res = await fetch(`${this.d.fhirBase}/${query}`, {
        headers: { accept: 'application/fhir+json', authorization: `Bearer ${token}` },
      });
      if (res.status !== 200) {
        omitted.push({ key, why: `FHIR server answered ${String(res.status)}` });
        continue;
      }
      prefetch[key] = await res.json();
    }
    return { prefetch, sent: Object.keys(prefetch), omitted };
  }

  feedback(serviceId: string, item: Record<string, unknown>): Promise<Exchange> {
    return this.call('POST', `/cds-services/${encodeURIComponent(serviceId)}/feedback`, {
      feedback: [{ ...item, outcomeTimestamp: new Date().toISOString() }],
    });
  }

  resetHistory(patientId: string): Promise<Exchange> {
    if (!FHIR_ID.test(patientId)) throw new BadInput('patientId must be a FHIR id');
    return this.call(
      'DELETE',
      `/api/testing/card-history?patient=${encodeURIComponent(patientId)}`,
      undefined,
    );
  }

  /** The URL the EHR opens for a card's SMART link: `iss` and a `launch` bound to the patient. */
  launchUrl(linkUrl: string, patientId: string, appContext: string | undefined): string {
    const url = new URL(linkUrl);
    if (url.origin !== new URL(this.d.augurUrl).origin) throw new BadInput('the link is not an Augur app');
    const launch = this.d.registerLaunch({
      patient: patientId,
      ...(appContext === undefined ? {} : { appContext }),
    });
    url.searchParams.set('iss', this.d.fhirBase);
    url.searchParams.set('launch', launch);
    return url.href;
  }
}

export class BadInput extends Error {}

function draftOrder(patientId: string, drug: Drug): Record<string, unknown> & { id: string } {
  return {
    resourceType: 'MedicationRequest',
    id: `sandbox-draft-${randomUUID().slice(0, 8)}`,
    status: 'draft',
    intent: 'order',
    subject: { reference: `Patient/${patientId}` },
    medicationCodeableConcept: {
      coding: [{ system: RXNORM, code: drug.code, display: drug.display }],
      text: drug.display,
    },
    authoredOn: new Date().toISOString().slice(0, 10),
  };
}

/** The inspector shows the request body without the FHIR access token (tokens go only to the FHIR server). */
function redact(body: unknown): unknown {
  if (typeof body !== 'object' || body === null) return body;
  const b = body as Record<string, unknown>;
  const fa = b['fhirAuthorization'] as Record<string, unknown> | undefined;
  const prefetch = b['prefetch'] as Record<string, unknown> | undefined;
  return {
    ...b,
    ...(fa === undefined ? {} : { fhirAuthorization: { ...fa, access_token: '<redacted>' } }),
    ...(prefetch === undefined
      ? {}
      : { prefetch: Object.fromEntries(Object.keys(prefetch).map((k) => [k, '<sent>'])) }),
  };
}
