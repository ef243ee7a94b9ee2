/**
 * `augur invoke` against the real FHIR server loaded with panel patients: an in-process Augur and a
 * running one over HTTP, --trace, --json, --no-prefetch with a token, an order hook with an RxNorm draft,
 * the 401 path with Augur's reason, an unreachable FHIR server, bad arguments.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadPanel } from '../../cli/patients/load.js';
import { run } from '../../cli/main.js';
import { startInProcessAugur, type InProcessAugur } from '../../cli/invoke/in-process.js';
import { loadOrCreateKey, type LocalKey } from '../../cli/keys/local-key.js';
import { PANEL_DIR } from '../panel/harness.js';
import { startFhirServer, type FhirServer } from '../support/fhir-server.js';

const TOKEN = 'invoke-test-token';
let fhir: FhirServer;
let keyDir: string;
let key: LocalKey;
let out: string[];
let err: string[];

beforeAll(async () => {
  fhir = await startFhirServer({ requireToken: TOKEN });
  // Made current (dates moved to today): the in-process Augur runs on the real clock.
  await loadPanel({
    fhir: fhir.baseUrl,
    token: TOKEN,
    dir: PANEL_DIR,
    asOf: new Date(),
    patients: ['augur-cv-high', 'augur-pgx-f'],
  });
  keyDir = join(mkdtempSync(join(tmpdir(), 'augur-invoke-test-')), 'keys');
  key = await loadOrCreateKey(keyDir);
}, 120_000);
afterAll(async () => {
  await fhir.stop();
});
beforeEach(() => {
  out = [];
  err = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** A port nothing listens on (bound, then closed): connection refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  return port;
}

const base = (): string[] => ['invoke', '--fhir', fhir.baseUrl, '--fhir-token', TOKEN, '--key-dir', keyDir];

describe('augur invoke, in-process Augur', () => {
  it('prints the cards readably and, with --trace, the trace', async () => {
    const code = await run([
      ...base(),
      '--patient',
      'augur-cv-high',
      '--service',
      'augur-cardiovascular-risk',
      '--trace',
    ]);
    const text = out.join('');
    expect(err.join('')).toBe('');
    expect(code).toBe(0);
    expect(text).toContain(
      '── augur-cardiovascular-risk (patient-view, prefetch filled by the CLI: patient, lipids',
    );
    expect(text).toMatch(
      /\[WARNING\] 10-yr ASCVD risk \d+\.\d % — high \(PCE\); high-intensity statin recommended/,
    );
    expect(text).toContain(
      'suggestion: Start atorvastatin 40 mg daily (high-intensity statin) (recommended)',
    );
    expect(text).toMatch(
      /link \(smart\): Full explanation \(Augur\) <http:\/\/127\.0\.0\.1:\d+\/smart-launch\/launch\.html> appContext=/,
    );
    expect(text).toContain('      patient: from the EHR');
    expect(text).toMatch(/ascvd-pce-10y@1\.0\.0: in population, ok → risk_10y 0\.\d+ \(band high\)/);
    expect(text).toMatch(
      /systolic_bp_mm_hg = 150 mm\[Hg\] {2}\(\d{4}-\d\d-\d\dT[^;]*; Observation\/augur-cv-high-obs-/,
    );
    expect(text).toContain('SHOWN cv-statin-suggestion cv-risk:pce=high;statin=high');
  }, 120_000);

  it('--json prints the raw responses of every patient-view service, keyed by service id', async () => {
    expect(await run([...base(), '--patient', 'augur-cv-high', '--json'])).toBe(0);
    const raw = JSON.parse(out.join('')) as Record<
      string,
      { cards: { summary: string }[]; extension?: unknown }
    >;
    expect(Object.keys(raw)).toEqual([
      'augur-cardiovascular-risk',
      'augur-atrial-fibrillation',
      'augur-kidney-risk',
      'augur-pgx-patient-view',
    ]);
    expect(raw['augur-cardiovascular-risk']?.cards).toHaveLength(1);
    expect(raw['augur-kidney-risk']?.cards).toEqual([]);
    expect(raw['augur-cardiovascular-risk']?.extension).toBeUndefined(); // no --trace, no trace
  }, 120_000);

  it('--no-prefetch leaves the data to Augur, which fetches it with the token', async () => {
    const before = fhir.requests.length;
    const code = await run([
      ...base(),
      '--patient',
      'augur-cv-high',
      '--service',
      'augur-cardiovascular-risk',
      '--no-prefetch',
      '--trace',
    ]);
    expect(code).toBe(0);
    const text = out.join('');
    expect(text).toContain('no prefetch: Augur fetches');
    expect(text).toContain('      conditions: fetched by Augur');
    expect(text).not.toContain('from the EHR');
    const fetched = fhir.requests
      .slice(before)
      .filter((r) => r.url.startsWith('/fhir/Condition?patient=augur-cv-high'));
    expect(fetched.length).toBeGreaterThan(0);
    expect(fetched.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
  }, 120_000);

  it('order-select with an RxNorm draft: the PGx card for the draft', async () => {
    const code = await run([
      ...base(),
      '--patient',
      'augur-pgx-f',
      '--hook',
      'order-select',
      '--draft',
      '309362',
      '--trace',
    ]);
    expect(code).toBe(0);
    const text = out.join('');
    expect(text).toContain('── augur-pgx-order-select (order-select');
    expect(text).toMatch(/\[CRITICAL\] .*clopidogrel/i);
    expect(text).toContain('SHOWN');
    expect(text).toContain('MedicationRequest/augur-cli-draft-309362');
  }, 120_000);

  it('a --draft file with a MedicationRequest', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'augur-draft-')), 'draft.json');
    writeFileSync(
      file,
      JSON.stringify({
        resourceType: 'MedicationRequest',
        id: 'draft-from-file',
        status: 'draft',
        intent: 'order',
        subject: { reference: 'Patient/augur-pgx-f' },
        medicationCodeableConcept: {
          coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '309362' }],
          text: 'clopidogrel 75 MG Oral Tablet',
        },
      }),
    );
    const code = await run([...base(), '--patient', 'augur-pgx-f', '--hook', 'order-sign', '--draft', file]);
    expect(code).toBe(0);
    expect(out.join('')).toMatch(/── augur-pgx-order-sign[\s\S]*\[CRITICAL\]/);
  }, 120_000);
});

describe('augur invoke, running Augur', () => {
  let augur: InProcessAugur;
  let elsewhere: InProcessAugur;
  let stranger: InProcessAugur;
  beforeAll(async () => {
    augur = await startInProcessAugur(key, fhir.baseUrl);
    // Public URL other than the one the CLI calls: every token's aud is wrong.
    elsewhere = await startInProcessAugur(key, fhir.baseUrl, { publicBaseUrl: 'https://augur.example.org' });
    // Trusts another key only.
    stranger = await startInProcessAugur(await loadOrCreateKey(join(keyDir, '..', 'other')), fhir.baseUrl);
  }, 120_000);
  afterAll(async () => {
    await augur.stop();
    await elsewhere.stop();
    await stranger.stop();
  });

  it('calls it over HTTP and prints the cards', async () => {
    const code = await run([
      ...base(),
      '--patient',
      'augur-cv-high',
      '--augur',
      augur.baseUrl,
      '--service',
      'augur-cardiovascular-risk',
    ]);
    expect(code).toBe(0);
    expect(out.join('')).toMatch(/\[WARNING\] 10-yr ASCVD risk/);
    expect(out.join('')).not.toContain('trace:');
  }, 60_000);

  it('on a 401 prints the reason Augur gives for this key', async () => {
    const code = await run([
      ...base(),
      '--patient',
      'augur-cv-high',
      '--augur',
      elsewhere.baseUrl,
      '--service',
      'augur-cardiovascular-risk',
    ]);
    expect(code).toBe(1);
    const text = out.join('');
    expect(text).toContain('refused: 401 (authentication)');
    expect(text).toContain(
      `  - aud was ${elsewhere.baseUrl}/cds-services/augur-cardiovascular-risk, Augur expects https://augur.example.org/cds-services/augur-cardiovascular-risk; the URL called (${elsewhere.baseUrl}/cds-services/augur-cardiovascular-risk) is not one of Augur's public URLs (publicBaseUrl)`,
    );
    expect(err.join('')).toContain('augur: a call was refused (see above)');
  }, 60_000);

  it('on a 401 from an Augur that does not trust the key, says it cannot say why and what to do', async () => {
    const code = await run([
      ...base(),
      '--patient',
      'augur-cv-high',
      '--augur',
      stranger.baseUrl,
      '--service',
      'augur-cardiovascular-risk',
    ]);
    expect(code).toBe(1);
    expect(out.join('')).toContain(
      `Augur does not say why (its config has no client with this key and "trace": true — ${key.iss}); run augur keys`,
    );
  }, 60_000);

  it('an unknown --service names the services Augur has', async () => {
    expect(
      await run([...base(), '--patient', 'augur-cv-high', '--augur', augur.baseUrl, '--service', 'nope']),
    ).toBe(2);
    expect(err.join('')).toMatch(/no service "nope" \(it has: augur-cardiovascular-risk, /);
  }, 60_000);

  it('an unreachable Augur', async () => {
    const down = `http://127.0.0.1:${String(await closedPort())}`;
    expect(await run([...base(), '--patient', 'augur-cv-high', '--augur', down])).toBe(1);
    expect(err.join('')).toContain(`augur: cannot reach Augur at ${down}/cds-services: ECONNREFUSED`);
  });
});

describe('augur invoke, errors', () => {
  it('an unreachable FHIR server: which and why', async () => {
    const down = `http://127.0.0.1:${String(await closedPort())}/fhir`;
    const code = await run(['invoke', '--fhir', down, '--patient', 'p1', '--key-dir', keyDir]);
    expect(code).toBe(1);
    expect(err.join('')).toBe(`augur: cannot reach the FHIR server at ${down}/Patient/p1: ECONNREFUSED\n`);
  });

  it('a patient the server does not have, and a server that wants a token', async () => {
    expect(await run([...base(), '--patient', 'nobody', '--augur', 'http://127.0.0.1:2'])).toBe(1);
    expect(err.join('')).toContain(`patient nobody not found on ${fhir.baseUrl} (404)`);
    err.length = 0;
    expect(
      await run([
        'invoke',
        '--fhir',
        fhir.baseUrl,
        '--patient',
        'augur-cv-high',
        '--key-dir',
        keyDir,
        '--augur',
        'http://127.0.0.1:2',
      ]),
    ).toBe(1);
    expect(err.join('')).toContain('(401): it needs --fhir-token');
  });

  it.each([
    [['--hook', 'order-select', '--draft', 'not-a-code'], '--draft: "not-a-code" is neither an RxNorm code'],
    [['--hook', 'order-select'], '--draft is required for order-select'],
    [['--draft', '309362'], '--draft is for order-select and order-sign only'],
    [
      ['--hook', 'order-dispatch'],
      '--hook: "order-dispatch" is not one of patient-view, order-select, order-sign',
    ],
    [['--augur', 'ftp://x'], '--augur: "ftp://x" is not an absolute http(s) URL'],
  ])('bad arguments are usage errors (exit 2): %j', async (extra, message) => {
    expect(await run([...base(), '--patient', 'augur-cv-high', ...extra])).toBe(2);
    expect(err.join('')).toContain(message);
  });

  it('a --draft file that holds no MedicationRequest', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'augur-draft-')), 'bad.json');
    writeFileSync(file, JSON.stringify({ resourceType: 'Patient', id: 'x' }));
    expect(
      await run([...base(), '--patient', 'augur-cv-high', '--hook', 'order-sign', '--draft', file]),
    ).toBe(2);
    expect(err.join('')).toContain('must hold a MedicationRequest with an id, or a Bundle of them');
  });

  it('--patient that is not a FHIR id, a missing --fhir', async () => {
    expect(await run([...base(), '--patient', 'a/b'])).toBe(2);
    expect(err.join('')).toContain('--patient: "a/b" is not a FHIR id');
    expect(await run(['invoke', '--patient', 'p1'])).toBe(2);
  });
});
