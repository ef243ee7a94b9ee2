/**
 * `npm run bench:population`: population scoring against the HTTP service, measured in the same run.
 *
 *   (a) bulk: `augur score` (the built CLI, a child process, BENCH_WORKERS worker threads — default one
 *       per core) over a generated population of BENCH_PATIENTS (default 10,000) as Bulk Data NDJSON,
 *       end to end (partition, scoring, outputs); patients/s and peak memory (maxRSS) from its summary;
 *   (b) baseline: the same patients one by one through the HTTP service — an in-process Augur
 *       (cli/invoke/in-process.ts: createApp, the clinical services, the built-in models) answering one
 *       patient-view call per patient-view service per patient, each with a signed JWT and the prefetch an
 *       EHR fills (cli/invoke/prefetch-fill.ts against the real test FHIR server holding the panel). The
 *       first BENCH_HTTP_PATIENTS (default 1,000) population patients are sent; each is a copy of a panel
 *       patient (tools/population), so its prefetch is its panel patient's (exact for the first copies;
 *       later copies differ only by ±5 % jitter of Observation values, which changes no work).
 *
 * Both on the real clock. Prints patients/s for each, the ratio (a)/(b), and peak memory.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../src/config/paths.js';
import { OUTPUT_FILES } from '../src/population/run.js';
import type { Summary } from '../src/population/summary.js';
import { writePopulation } from '../tools/population/generate.js';
import { startFhirServer } from '../test/support/fhir-server.js';
import { loadPanel } from '../cli/patients/load.js';
import { startInProcessAugur } from '../cli/invoke/in-process.js';
import { fillPrefetch } from '../cli/invoke/prefetch-fill.js';
import { sign } from '../cli/invoke/invoke.js';
import { loadOrCreateKey } from '../cli/keys/local-key.js';
import { readPanel } from '../cli/patients/panel.js';

const PATIENTS = Number(process.env['BENCH_PATIENTS'] ?? '10000');
const HTTP_PATIENTS = Math.min(PATIENTS, Number(process.env['BENCH_HTTP_PATIENTS'] ?? '1000'));
const WORKERS = Number(process.env['BENCH_WORKERS'] ?? String(availableParallelism()));
const ROOT = repoRoot();
const PANEL = join(ROOT, 'examples', 'patients');

const work = mkdtempSync(join(tmpdir(), 'augur-bench-population-'));
const input = join(work, 'input');
const out = join(work, 'out');
process.stdout.write(`generating ${String(PATIENTS)} patients…\n`);
const written = await writePopulation({ count: PATIENTS, out: input, filesPerType: 4 });
process.stdout.write(`${String(written.resources)} resources in ${String(written.files.length)} files\n`);

// (a) bulk, in its own process so its peak memory is its own.
process.stdout.write(`(a) augur score, ${String(WORKERS)} worker thread(s)…\n`);
const bulkRun = spawnSync(
  process.execPath,
  [join(ROOT, 'bin', 'augur.mjs'), 'score', '--input', input, '--out', out, '--workers', String(WORKERS)],
  { stdio: ['ignore', 'inherit', 'inherit'] },
);
if (bulkRun.status !== 0) throw new Error(`augur score exited with ${String(bulkRun.status)}`);
const summary = JSON.parse(readFileSync(join(out, OUTPUT_FILES.summary), 'utf8')) as Summary;

// (b) the HTTP service, one patient at a time.
process.stdout.write(`(b) HTTP patient-view, ${String(HTTP_PATIENTS)} patients one by one…\n`);
const fhir = await startFhirServer({});
await loadPanel({ fhir: fhir.baseUrl, dir: PANEL, asOf: new Date(readPanel(PANEL).asOf + 'T12:00:00Z') });
const key = await loadOrCreateKey(join(work, 'keys'));
const augur = await startInProcessAugur(key, fhir.baseUrl, {
  fileConfig: { limits: { perIssuerPerMinute: 10_000_000 } },
});
const discovery = (await (
  await fetch(`${augur.baseUrl}/cds-services`, {
    headers: { authorization: `Bearer ${await sign(key, `${augur.baseUrl}/cds-services`)}` },
  })
).json()) as { services: { id: string; hook: string; prefetch?: Record<string, string> }[] };
const services = discovery.services.filter((s) => s.hook === 'patient-view');
const panel = readPanel(PANEL).files.map((f) => f.patientId);
const prefetch = new Map<string, Record<string, unknown>>();
for (const p of panel)
  for (const s of services)
    prefetch.set(
      `${s.id}|${p}`,
      await fillPrefetch(s.prefetch ?? {}, { fhirBase: fhir.baseUrl, patientId: p }),
    );

const started = performance.now();
let calls = 0;
for (let i = 0; i < HTTP_PATIENTS; i++) {
  const patientId = written.sourceOf(i);
  for (const s of services) {
    const url = `${augur.baseUrl}/cds-services/${s.id}`;
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await sign(key, url)}` },
      body: JSON.stringify({
        hook: 'patient-view',
        hookInstance: crypto.randomUUID(),
        context: { patientId, userId: 'Practitioner/augur-panel-clinician' },
        prefetch: prefetch.get(`${s.id}|${patientId}`),
      }),
    });
    if (res.status !== 200) throw new Error(`${s.id}: ${String(res.status)} ${await res.text()}`);
    await res.arrayBuffer();
    calls++;
  }
}
const httpSeconds = (performance.now() - started) / 1000;
const httpRate = HTTP_PATIENTS / httpSeconds;
const httpRss = Math.round(process.resourceUsage().maxRSS / 1024);
await augur.stop();
await fhir.stop();
rmSync(work, { recursive: true, force: true });

const rows = [
  [
    '(a) augur score (bulk)',
    `${String(PATIENTS)} patients`,
    summary.run.patientsPerSecond.toFixed(1),
    `${String(summary.run.maxRssMB)} MB`,
  ],
  [
    '(b) HTTP patient-view',
    `${String(HTTP_PATIENTS)} patients, ${String(calls)} calls`,
    httpRate.toFixed(1),
    `${String(httpRss)} MB (bench process, FHIR server included)`,
  ],
];
process.stdout.write(
  `\n${rows.map((r) => r.join(' | ')).join('\n')}\n` +
    `ratio (a)/(b): ${(summary.run.patientsPerSecond / httpRate).toFixed(2)} × — ${String(WORKERS)} worker(s) on ${String(availableParallelism())} core(s); ` +
    `bulk ${summary.run.seconds.toFixed(1)} s end to end, ${String(summary.patients.withGap)} patients with a gap\n`,
);
