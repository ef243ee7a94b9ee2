/** What the simulator's API answers (sandbox/web/server.ts, ehr.ts), as the page reads it. */

export interface Coding {
  system?: string;
  code: string;
  display?: string;
}

export interface Exchange {
  service?: string;
  request: {
    method: string;
    url: string;
    jwt: { header: Record<string, unknown>; claims: Record<string, unknown> };
    body?: unknown;
    prefetchSent?: string[];
    prefetchOmitted?: { key: string; why: string }[];
  };
  response: { status: number; body: unknown; trace?: unknown };
  diagnosis?: { accepted: boolean; reasons: string[] } | { unavailable: string };
}

export interface Patients {
  panel: { id: string; title: string; expect: Record<string, unknown> }[];
  others: { id: string; label: string }[];
}

export interface State {
  urls: Record<string, string>;
  services: { id: string; hook: string; title?: string }[];
  drugs: { code: string; display: string; group: 'cpic' | 'common' }[];
  patients: Patients;
}

/** GET (no body) or POST JSON to the simulator's API; a non-2xx answer throws with its error. */
export async function api<T>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method: body === undefined ? 'GET' : 'POST',
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const out = (await res.json()) as T & { error?: string };
  if (!res.ok) throw new Error(out.error ?? `HTTP ${String(res.status)}`);
  return out;
}
