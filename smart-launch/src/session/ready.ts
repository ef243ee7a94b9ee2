/**
 * The redirect half (index.html): refuse an answer whose `state` is not the one this tab sent, finish
 * the code exchange with fhirclient, strip code/state from the URL, and prove the token works by reading
 * the launch patient.
 */
import FHIR from 'fhirclient';
import type * as ClientModule from 'fhirclient/lib/Client.js';
import type { Patient } from 'fhir/r4.js';
import type { ResultPayload } from '../../../src/cards/result.js';
import { RESULT_ID_PATTERN } from '../../../src/smart/app-config.js';
import { LaunchError, MESSAGES, markLaunch, toLaunchError } from './errors.js';
import { fhirRead, type FhirReadOptions } from './fhir.js';
import type { AugurSession } from './types.js';

/** fhirclient's Client (a CommonJS default export: `.default` in both Bundler and NodeNext resolution). */
type Client = ClientModule.default;

/** Where fhirclient keeps the current state key in sessionStorage (fhirclient/lib/settings SMART_KEY). */
const SMART_KEY = 'SMART_KEY';
const AUTH_PARAMS = ['code', 'state', 'error', 'error_description', 'error_uri', 'complete'];

function cleanUrl(): void {
  const url = new URL(location.href);
  let changed = false;
  for (const p of AUTH_PARAMS) {
    if (url.searchParams.has(p)) {
      url.searchParams.delete(p);
      changed = true;
    }
  }
  if (changed) history.replaceState(history.state, '', url.href);
}

/** The authorization answer must carry the state this tab stored before redirecting (login CSRF, replay). */
function checkState(params: URLSearchParams): void {
  const state = params.get('state');
  let expected: unknown;
  try {
    expected = JSON.parse(sessionStorage.getItem(SMART_KEY) ?? 'null');
  } catch {
    expected = undefined; // not fhirclient's: refuse below
  }
  if (state === null || state !== expected || sessionStorage.getItem(state) === null)
    throw new LaunchError('state', MESSAGES.state);
}

function checkAnswer(): void {
  const params = new URL(location.href).searchParams;
  const error = params.get('error');
  if (error === 'access_denied') throw new LaunchError('denied', MESSAGES.denied);
  if (error !== null)
    throw new LaunchError(
      'other',
      `The EHR refused the sign-in (${error.replace(/[^\w.-]/g, '').slice(0, 64)}).`,
    );
  if (params.has('code')) checkState(params);
}

function checkExpiry(client: Client): void {
  const expiresAt = client.state.expiresAt;
  const refresh = client.state.tokenResponse?.refresh_token;
  if (typeof expiresAt === 'number' && expiresAt <= Date.now() / 1000 && refresh === undefined)
    throw new LaunchError('expired', MESSAGES.expired);
}

function resultIdOf(client: Client): string | undefined {
  const appContext: unknown = client.state.tokenResponse?.['appContext'];
  return typeof appContext === 'string' && RESULT_ID_PATTERN.test(appContext) ? appContext : undefined;
}

async function fetchResult(session: AugurSession): Promise<ResultPayload | undefined> {
  if (session.resultId === undefined) return undefined;
  const url = `${session.augurBase}/api/results/${encodeURIComponent(session.resultId)}?patient=${encodeURIComponent(session.patientId)}`;
  const res = await fetch(url, {
    cache: 'no-store',
    credentials: 'omit',
    headers: { accept: 'application/json' },
  });
  if (res.status === 404) return undefined;
  if (!res.ok) throw new Error(`Augur answered ${res.status} for the stored result.`);
  return (await res.json()) as ResultPayload;
}

async function complete(): Promise<AugurSession> {
  checkAnswer();
  const client = await FHIR.oauth2.ready();
  cleanUrl();
  checkExpiry(client);
  const patientId = client.patient.id;
  if (patientId === null || patientId === '')
    throw new LaunchError('other', 'The EHR did not say which patient Augur was opened for.');
  const patient = (await fhirRead(client, `Patient/${encodeURIComponent(patientId)}`)) as Patient;
  const resultId = resultIdOf(client);
  const session: AugurSession = {
    patientId,
    patient,
    ...(resultId === undefined ? {} : { resultId }),
    augurBase: '',
    fhir: <T = unknown>(url: string, options?: FhirReadOptions) =>
      fhirRead(client, url, options) as Promise<T>,
    result: () => fetchResult(session),
  };
  return session;
}

export async function startSession(): Promise<AugurSession> {
  try {
    const session = await complete();
    markLaunch('ready');
    return session;
  } catch (err) {
    cleanUrl();
    const e = toLaunchError(err);
    markLaunch(`error:${e.kind}`);
    throw e;
  }
}
