/**
 * `augur patients load` / loadPanel against the real FHIR server: one transaction per patient, loading
 * twice gives the same server state, dates move so the panel is current, the per-resource PUT fallback
 * on a real server without transactions, and clear errors (unreachable server, missing or refused token,
 * an invalid resource named with its file, a damaged file).
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bundle, FhirResource, Observation, Patient } from 'fhir/r4.js';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { run } from '../../cli/main.js';
import { PanelLoadError } from '../../cli/patients/errors.js';
import { loadPanel, type LoadProgress } from '../../cli/patients/load.js';
import { startFhirServer, type FhirServer } from '../support/fhir-server.js';
import { PANEL_DIR, readIndex } from '../panel/harness.js';
import { startNoTransactionServer } from './no-transaction-server.js';

const TOKEN = 'panel-load-token';
const index = readIndex();
const SOME = ['augur-cv-lipids-stale', 'augur-messy-medication-reference', 'augur-pgx-b'];
let fhir: FhirServer;

beforeAll(async () => {
  fhir = await startFhirServer({ requireToken: TOKEN });
});
afterAll(async () => {
  await fhir.stop();
});
afterEach(() => {
  vi.restoreAllMocks();
});

const bundleOf = (id: string): Bundle<FhirResource> => {
  const file = index.patients.find((p) => p.id === id)?.file ?? '';
  return JSON.parse(readFileSync(join(PANEL_DIR, file), 'utf8')) as Bundle<FhirResource>;
};

/** Distinct `Type/id` in the given patients' files, by type. */
function expectedCounts(ids: readonly string[]): Record<string, number> {
  const refs = new Set(
    ids.flatMap((id) =>
      (bundleOf(id).entry ?? []).map((e) => `${e.resource?.resourceType ?? ''}/${e.resource?.id ?? ''}`),
    ),
  );
  const counts: Record<string, number> = {};
  for (const ref of refs) {
    const type = ref.split('/')[0] ?? '';
    counts[type] = (counts[type] ?? 0) + 1;
  }
  return counts;
}

async function serverCounts(types: readonly string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const type of types) {
    const res = await fetch(`${fhir.baseUrl}/${type}?_summary=count`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    out[type] = ((await res.json()) as { total: number }).total;
  }
  return out;
}

const read = async <T>(ref: string): Promise<T> =>
  (await (
    await fetch(`${fhir.baseUrl}/${ref}`, { headers: { authorization: `Bearer ${TOKEN}` } })
  ).json()) as T;

describe('loadPanel', () => {
  it('loads every patient as one transaction each; loading again leaves the same resources', async () => {
    fhir.reset();
    const all = index.patients.map((p) => p.id);
    const expected = expectedCounts(all);
    const first = await loadPanel({ fhir: fhir.baseUrl, token: TOKEN, dir: PANEL_DIR });
    expect(first).toMatchObject({ mode: 'transaction', patients: all.length, asOf: index.asOf });
    expect(await serverCounts(Object.keys(expected))).toEqual(expected);
    const posts = fhir.requests.filter((r) => r.method === 'POST' && r.url === '/fhir').length;
    expect(posts).toBe(all.length);
    await loadPanel({ fhir: fhir.baseUrl, token: TOKEN, dir: PANEL_DIR });
    expect(await serverCounts(Object.keys(expected))).toEqual(expected);
  });

  it('moves every date by whole days so the as-of date becomes the load day (ages and "days ago" kept)', async () => {
    fhir.reset();
    const day = new Date(Date.parse(`${index.asOf}T12:00:00Z`) + 100 * 86_400_000);
    const s = await loadPanel({
      fhir: fhir.baseUrl,
      token: TOKEN,
      dir: PANEL_DIR,
      asOf: day,
      patients: ['augur-cv-lipids-stale'],
    });
    expect(s).toMatchObject({ shiftDays: 100, loadedAs: day.toISOString().slice(0, 10) });
    const written = bundleOf('augur-cv-lipids-stale').entry ?? [];
    const patient = written.find((e) => e.resource?.resourceType === 'Patient')?.resource as Patient;
    const obs = written.find((e) => e.resource?.resourceType === 'Observation')?.resource as Observation;
    const plus100 = (d: string): number => Date.parse(d) + 100 * 86_400_000;
    const loadedPatient = await read<Patient>(`Patient/${patient.id ?? ''}`);
    const loadedObs = await read<Observation>(`Observation/${obs.id ?? ''}`);
    expect(Date.parse(`${loadedPatient.birthDate ?? ''}T00:00:00Z`)).toBe(
      plus100(`${patient.birthDate ?? ''}T00:00:00Z`),
    );
    expect(Date.parse(loadedObs.effectiveDateTime ?? '')).toBe(plus100(obs.effectiveDateTime ?? ''));
    expect(loadedObs.effectiveDateTime?.slice(10)).toBe(obs.effectiveDateTime?.slice(10)); // time of day kept
  });

  it('falls back to one PUT per resource when the server refuses the transaction (405 not-supported)', async () => {
    fhir.reset();
    const front = await startNoTransactionServer(fhir, { declare: false });
    try {
      const events: LoadProgress[] = [];
      const s = await loadPanel({
        fhir: front.baseUrl,
        token: TOKEN,
        dir: PANEL_DIR,
        patients: SOME,
        onProgress: (e) => events.push(e),
      });
      expect(s.mode).toBe('put');
      expect(s.fallbackReason).toMatch(/405.*not-supported/);
      expect(front.refused).toBe(1); // detected once, not retried per patient
      expect(events.filter((e) => e.kind === 'fallback')).toHaveLength(1);
      const expected = expectedCounts(SOME);
      expect(await serverCounts(Object.keys(expected))).toEqual(expected);
      await loadPanel({ fhir: front.baseUrl, token: TOKEN, dir: PANEL_DIR, patients: SOME });
      expect(await serverCounts(Object.keys(expected))).toEqual(expected);
    } finally {
      await front.stop();
    }
  });

  it('uses PUT straight away when the CapabilityStatement lists system interactions without transaction', async () => {
    fhir.reset();
    const front = await startNoTransactionServer(fhir, { declare: true });
    try {
      const s = await loadPanel({
        fhir: front.baseUrl,
        token: TOKEN,
        dir: PANEL_DIR,
        patients: SOME.slice(0, 1),
      });
      expect(s).toMatchObject({ mode: 'put', patients: 1 });
      expect(s.fallbackReason).toBeUndefined();
      expect(front.refused).toBe(0);
    } finally {
      await front.stop();
    }
  });
});

/** A copy of one patient's panel files with `edit` applied to its bundle. */
function damagedPanel(id: string, edit: (b: Bundle<FhirResource>) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'augur-panel-'));
  cpSync(PANEL_DIR, dir, { recursive: true });
  const file = index.patients.find((p) => p.id === id)?.file ?? '';
  const bundle = bundleOf(id);
  edit(bundle);
  writeFileSync(join(dir, file), JSON.stringify(bundle));
  return dir;
}

const failure = async (p: Promise<unknown>): Promise<PanelLoadError> => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PanelLoadError);
  return err as PanelLoadError;
};

describe('loadPanel errors say which server, file and resource', () => {
  const patients = ['augur-cv-low'];
  const badBirthDate = (b: Bundle<FhirResource>) => {
    const p = b.entry?.find((e) => e.resource?.resourceType === 'Patient')?.resource as Patient;
    p.birthDate = 'not-a-date';
  };

  it('an unreachable server', async () => {
    const gone = await startFhirServer();
    const base = gone.baseUrl;
    await gone.stop();
    const err = await failure(loadPanel({ fhir: base, dir: PANEL_DIR, patients }));
    expect(err.message).toMatch(new RegExp(`^cannot reach the FHIR server at ${base} \\(ECONNREFUSED\\)`));
  });

  it('a missing token and a refused one', async () => {
    expect((await failure(loadPanel({ fhir: fhir.baseUrl, dir: PANEL_DIR, patients }))).message).toMatch(
      /answered 401 to GET metadata: it needs a token \(--token\)/,
    );
    expect(
      (await failure(loadPanel({ fhir: fhir.baseUrl, token: 'wrong', dir: PANEL_DIR, patients }))).message,
    ).toMatch(/answered 401 to GET metadata: it refused the token/);
  });

  it('an invalid resource in a transaction: the file and the resource, nothing stored', async () => {
    fhir.reset();
    const err = await failure(
      loadPanel({
        fhir: fhir.baseUrl,
        token: TOKEN,
        dir: damagedPanel('augur-cv-low', badBirthDate),
        patients,
      }),
    );
    expect(err).toMatchObject({ file: 'augur-cv-low.json', resource: 'Patient/augur-cv-low' });
    expect(err.message).toMatch(
      /^augur-cv-low\.json: Patient\/augur-cv-low is invalid for this server \(400 /,
    );
    expect(await serverCounts(['Observation'])).toEqual({ Observation: 0 });
  });

  it('an invalid resource with per-resource PUT', async () => {
    const err = await failure(
      loadPanel({
        fhir: fhir.baseUrl,
        token: TOKEN,
        dir: damagedPanel('augur-cv-low', badBirthDate),
        patients,
        mode: 'put',
      }),
    );
    expect(err.message).toMatch(/^augur-cv-low\.json: Patient\/augur-cv-low was refused \(400 /);
  });

  it('a damaged file, before anything is sent', async () => {
    const dir = damagedPanel('augur-cv-low', (b) => {
      const e = b.entry?.[1];
      if (e?.request !== undefined) e.request.url = 'Patient/someone-else';
    });
    const err = await failure(loadPanel({ fhir: 'http://127.0.0.1:9/fhir', dir, patients }));
    expect(err.message).toBe(
      'augur-cv-low.json: entry[1] Patient/augur-cv-low is sent to "Patient/someone-else"',
    );
    expect((await failure(loadPanel({ fhir: fhir.baseUrl, dir: tmpdir(), patients }))).message).toMatch(
      /^cannot read the panel index .*index\.json \(ENOENT\)/,
    );
    expect(
      (await failure(loadPanel({ fhir: fhir.baseUrl, dir: PANEL_DIR, patients: ['nobody'] }))).message,
    ).toMatch(/^no panel patient nobody in /);
  });
});

describe('augur patients load', () => {
  let out: string[];
  let err: string[];
  const capture = () => {
    out = [];
    err = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
  };

  it('loads, with one plain progress line per patient when not on a terminal, and a summary', async () => {
    capture();
    const code = await run([
      'patients',
      'load',
      '--fhir',
      fhir.baseUrl,
      '--token',
      TOKEN,
      '--patient',
      'augur-cv-low',
      'augur-af-dialysis',
    ]);
    expect(code).toBe(0);
    const text = out.join('');
    expect(text).toMatch(/^loading 2 patients \(transaction\), dates shifted -?\d+ days\n/);
    expect(text).toMatch(
      /\[1\/2\] augur-cv-low: \d+ resources \(transaction\)\n\[2\/2\] augur-af-dialysis: \d+ resources/,
    );
    expect(text).toMatch(
      /loaded 2 patients, \d+ resources into http:\/\/127\.0\.0\.1:\d+\/fhir, one transaction per patient; dates as of \d{4}-\d{2}-\d{2} \(panel as of 2026-01-15/,
    );
  });

  it('draws a progress bar on a terminal', async () => {
    capture();
    const was = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
    Object.defineProperty(process.stderr, 'isTTY', { value: true, configurable: true });
    try {
      const args = ['--token', TOKEN, '--patient', 'augur-cv-low', '--as-of', index.asOf];
      expect(await run(['patients', 'load', '--fhir', fhir.baseUrl, ...args])).toBe(0);
    } finally {
      if (was === undefined) Reflect.deleteProperty(process.stderr, 'isTTY');
      else Object.defineProperty(process.stderr, 'isTTY', was);
    }
    expect(err.join('')).toMatch(/loading .*1\/1 patients \| augur-cv-low/);
    expect(out.join('')).toMatch(/shifted 0 days\)\n$/);
  });

  it('bad usage exits 2; a refused load exits 1 with one line naming the server', async () => {
    capture();
    expect(await run(['patients', 'load'])).toBe(2);
    expect(await run(['patients', 'load', '--fhir', fhir.baseUrl, '--as-of', 'yesterday'])).toBe(2);
    expect(err.join('')).toMatch(/--as-of: "yesterday" is not a date/);
    expect(await run(['patients', 'load', '--fhir', fhir.baseUrl, '--patient', 'augur-cv-low'])).toBe(1);
    expect(err.join('')).toMatch(
      /augur: the FHIR server at http:\/\/127\.0\.0\.1:\d+\/fhir answered 401 to GET metadata: it needs a token \(--token\)/,
    );
  });
});
