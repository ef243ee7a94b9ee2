/**
 * The loader's FHIR calls: JSON over fetch with the bearer token sent only to the given base URL (no
 * redirects followed), a deadline per call, and errors that say which server and why.
 */
import { PanelLoadError } from './errors.js';

export interface FhirTarget {
  /** Base URL without a trailing slash. */
  base: string;
  token: string | undefined;
  timeoutMs: number;
}

export interface FhirAnswer {
  status: number;
  body: unknown;
}

export async function fhirCall(
  t: FhirTarget,
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  body?: unknown,
): Promise<FhirAnswer> {
  const url = path === '' ? t.base : `${t.base}/${path}`;
  const headers: Record<string, string> = { accept: 'application/fhir+json' };
  if (body !== undefined) headers['content-type'] = 'application/fhir+json';
  if (t.token !== undefined) headers.authorization = `Bearer ${t.token}`;
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      redirect: 'manual',
      signal: AbortSignal.timeout(t.timeoutMs),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (err) {
    throw new PanelLoadError(`cannot reach the FHIR server at ${t.base} (${reason(err)})`);
  }
  if (res.status >= 300 && res.status < 400)
    throw new PanelLoadError(
      `the FHIR server at ${t.base} redirected ${method} ${path || '/'} to ${res.headers.get('location') ?? '?'}; give the final base URL (the token is never sent elsewhere)`,
    );
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    parsed = text.slice(0, 200);
  }
  return { status: res.status, body: parsed };
}

function reason(err: unknown): string {
  if (err instanceof Error && err.name === 'TimeoutError') return 'no answer within the deadline';
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}

interface Issue {
  severity?: string;
  code?: string;
  diagnostics?: string;
  details?: { text?: string };
  expression?: string[];
}

/** The first issue of an OperationOutcome as one line, e.g. `invalid: Observation.status: missing (Observation.status)`. */
export function outcomeText(body: unknown): string {
  const oo = body as { resourceType?: string; issue?: Issue[] } | undefined;
  if (oo?.resourceType !== 'OperationOutcome' || oo.issue === undefined || oo.issue.length === 0)
    return typeof body === 'string' ? body : 'no OperationOutcome';
  const issue = oo.issue.find((i) => i.severity === 'error' || i.severity === 'fatal') ?? oo.issue[0];
  const text = issue?.diagnostics ?? issue?.details?.text ?? '';
  const where = issue?.expression?.length ? ` (${issue.expression.join(', ')})` : '';
  return `${issue?.code ?? 'error'}${text === '' ? '' : `: ${text}`}${where}`;
}

/** The issue codes of an OperationOutcome body. */
export function outcomeCodes(body: unknown): string[] {
  const oo = body as { resourceType?: string; issue?: Issue[] } | undefined;
  return oo?.resourceType === 'OperationOutcome' ? (oo.issue ?? []).map((i) => i.code ?? '') : [];
}
