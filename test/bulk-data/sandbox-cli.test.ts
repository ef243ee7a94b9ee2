/**
 * `augur score --fhir` end to end against the sandbox (`startSandbox`: the real FHIR server seeded with
 * the panel and its `augur-panel` Group, the real authorization server): the CLI's own key
 * (`augur keys`, ES384) registered as a Backend Services client in `<dataDir>/backend-clients.json`,
 * a Group export, then the same outputs as `augur score --input` over the downloaded files.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../cli/main.js';
import { EXPORT_DIR } from '../../cli/score/from-fhir.js';
import { KEY_FILE, loadOrCreateKey } from '../../cli/keys/local-key.js';
import { OUTPUT_FILES } from '../../src/population/run.js';
import { BACKEND_CLIENTS_FILE, PANEL_GROUP_ID, startSandbox, type Sandbox } from '../../sandbox/sandbox.js';

const ROOT = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'augur-sandbox-bulk-'));
let sandbox: Sandbox;
let keyFile: string;

beforeAll(async () => {
  const keyDir = join(dir, 'keys');
  const key = await loadOrCreateKey(keyDir);
  keyFile = join(keyDir, KEY_FILE);
  const dataDir = join(dir, 'sandbox');
  await import('node:fs').then((fs) => fs.mkdirSync(dataDir, { recursive: true }));
  writeFileSync(
    join(dataDir, BACKEND_CLIENTS_FILE),
    JSON.stringify([{ clientId: 'augur-cli', jwks: { keys: [key.publicJwk] } }]),
  );
  sandbox = await startSandbox({ root: ROOT, basePort: 0, dataDir, fromSources: true });
}, 180_000);

afterAll(async () => {
  await sandbox.stop();
  rmSync(dir, { recursive: true, force: true });
});

const sortedLines = (file: string): string[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .sort();

describe('augur score --fhir against the sandbox', () => {
  it('exports the panel Group with the CLI key and scores it as --input scores the same files', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const out = join(dir, 'from-fhir');
    const code = await run([
      'score',
      '--fhir',
      sandbox.urls.fhir,
      '--group',
      PANEL_GROUP_ID,
      '--client-id',
      'augur-cli',
      '--key',
      keyFile,
      '--out',
      out,
      '--workers',
      '0',
      '--as-of',
      today,
    ]);
    expect(code).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, OUTPUT_FILES.summary), 'utf8')) as {
      patients: { total: number; scored: number };
    };
    expect(summary.patients.total).toBe(sandbox.patients);
    expect(summary.patients.scored).toBe(sandbox.patients);
    // Every type the services read came with the export (the kidney service reads referrals).
    const state = JSON.parse(readFileSync(join(out, EXPORT_DIR, 'bulk-export.json'), 'utf8')) as {
      completed: Record<string, unknown>;
    };
    expect(Object.keys(state.completed)).toEqual(
      expect.arrayContaining(['Patient-1.ndjson', 'Observation-1.ndjson', 'ServiceRequest-1.ndjson']),
    );

    const again = join(dir, 'from-input');
    expect(
      await run([
        'score',
        '--input',
        join(out, EXPORT_DIR),
        '--out',
        again,
        '--workers',
        '0',
        '--as-of',
        today,
      ]),
    ).toBe(0);
    for (const name of [OUTPUT_FILES.riskAssessments, OUTPUT_FILES.worklistCsv, OUTPUT_FILES.worklistNdjson])
      expect(sortedLines(join(again, name)), name).toEqual(sortedLines(join(out, name)));
  }, 300_000);

  it('an unregistered client: the token endpoint refusal is the error, exit 1', async () => {
    const code = await run([
      'score',
      '--fhir',
      sandbox.urls.fhir,
      '--client-id',
      'nobody',
      '--key',
      keyFile,
      '--out',
      join(dir, 'refused'),
    ]);
    expect(code).toBe(1);
  });
});
