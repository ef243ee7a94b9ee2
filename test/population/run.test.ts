/**
 * The population run over NDJSON folders (src/population/run.ts), in the calling thread (workers: 0):
 * bad input counted with file and line and never a crash or a silently skipped patient; bounded
 * memory (a population many times larger than one bucket); resume after a stop without scoring anyone
 * twice; the five output files and the report's plots.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OUTPUT_FILES, runPopulation, WORK_DIR } from '../../src/population/run.js';
import type { Summary } from '../../src/population/summary.js';
import type { CareGap } from '../../src/population/types.js';
import { WORKLIST_COLUMNS } from '../../src/population/worklist.js';
import { populationId, writePopulation } from '../../tools/population/generate.js';
import { AS_OF, panelResources } from './support.js';

const temp = (name: string): string => mkdtempSync(join(tmpdir(), `augur-pop-${name}-`));
const lines = (file: string): string[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
const ndjson = (rows: readonly unknown[]): string => rows.map((r) => `${JSON.stringify(r)}\n`).join('');

describe('bad input', () => {
  it('counts each bad line with file and line, scores the rest, and lists every patient not scored', async () => {
    const input = temp('bad-in');
    const out = temp('bad-out');
    const res = panelResources('augur-cv-high');
    const patient = res.filter((r) => r.resourceType === 'Patient');
    const observations = res.filter((r) => r.resourceType === 'Observation');
    writeFileSync(join(input, 'Patient.ndjson'), ndjson(patient));
    writeFileSync(
      join(input, 'Observation.ndjson'),
      ndjson(observations.slice(0, 2)) +
        '{"resourceType": "Observation", "id": "broken"\n' + // line 3: malformed
        ndjson([{ resourceType: 'Observation', id: 'no-subject', status: 'final', code: { text: 'x' } }]) + // line 4
        ndjson([{ id: 'no-type' }]) + // line 5
        ndjson([
          {
            resourceType: 'Observation',
            id: 'ghost-obs',
            status: 'final',
            code: { text: 'x' },
            subject: { reference: 'Patient/ghost' },
          },
        ]) + // line 6
        ndjson(observations.slice(2)),
    );
    writeFileSync(join(input, 'Condition.ndjson'), ndjson(res.filter((r) => r.resourceType === 'Condition')));
    writeFileSync(
      join(input, 'Encounter.ndjson'),
      ndjson([{ resourceType: 'Encounter', id: 'e1', status: 'finished' }]),
    );
    writeFileSync(join(input, 'Flag.ndjson'), '\n   \n'); // blank lines are not problems

    const r = await runPopulation({ input, out, workers: 0, now: AS_OF });
    expect(r.status).toBe('complete');
    if (r.status !== 'complete') return;
    const s = r.summary;
    expect(s.inputProblems.counts).toEqual({
      'malformed-json': 1,
      'no-subject': 1,
      'not-a-resource': 1,
      'unread-type': 1,
    });
    const where = s.inputProblems.examples.map((p) => `${p.kind} ${p.file}:${String(p.line)}`);
    expect(where).toEqual(
      expect.arrayContaining([
        'malformed-json Observation.ndjson:3',
        'no-subject Observation.ndjson:4',
        'not-a-resource Observation.ndjson:5',
        'unread-type Encounter.ndjson:1',
      ]),
    );
    expect(s.patients).toMatchObject({ total: 2, scored: 1, notScored: 1 });
    expect(s.notScored).toEqual([
      {
        patientId: 'ghost',
        reason:
          'no Patient resource in the input (1 resource(s) refer to it, first: Observation.ndjson line 6)',
      },
    ]);
    const summary = JSON.parse(readFileSync(join(out, OUTPUT_FILES.summary), 'utf8')) as Summary;
    expect(summary.notScored).toEqual(s.notScored);
    expect(readFileSync(join(out, OUTPUT_FILES.report), 'utf8')).toContain('Observation.ndjson');
  });

  it('refuses a missing input folder with a clear error', async () => {
    await expect(
      runPopulation({ input: join(tmpdir(), 'augur-no-such-folder'), out: temp('x'), workers: 0 }),
    ).rejects.toThrow(/input folder .* not found/);
  });
});

describe('bounded memory', () => {
  it('groups one bucket at a time: a population many buckets large never sits in memory whole', async () => {
    const input = temp('big-in');
    const out = temp('big-out');
    const written = await writePopulation({ count: 120, out: input, filesPerType: 3 });
    const bytes = 40_000; // the bound: 40 kB of NDJSON per bucket
    const r = await runPopulation({ input, out, workers: 0, now: AS_OF, bucketBytes: bytes });
    if (r.status !== 'complete') throw new Error('interrupted');
    const s = r.summary;
    expect(s.input.buckets).toBeGreaterThanOrEqual(20);
    expect(s.patients).toMatchObject({ total: 120, scored: 120, notScored: 0 });
    // Most resources held at once: one bucket's, a small share of the population's.
    expect(s.peakResourcesInMemory).toBeLessThan(written.resources / 8);
    expect(s.peakResourcesInMemory).toBeGreaterThan(0);
  });
});

describe('stop and resume', () => {
  it('stops cleanly, then scores everyone else exactly once', async () => {
    const input = temp('resume-in');
    const out = temp('resume-out');
    await writePopulation({ count: 60, out: input });
    const stop = new AbortController();
    const first = await runPopulation({
      input,
      out,
      workers: 0,
      now: AS_OF,
      bucketBytes: 60_000,
      batch: 4,
      signal: stop.signal,
      onProgress: (p) => {
        if (p.phase === 'score' && p.done >= 15) stop.abort();
      },
    });
    expect(first.status).toBe('interrupted');
    expect(first.scoredThisRun).toBeGreaterThanOrEqual(15);
    expect(first.scoredThisRun).toBeLessThan(60);
    expect(existsSync(join(out, WORK_DIR))).toBe(true);
    expect(existsSync(join(out, OUTPUT_FILES.summary))).toBe(false);

    const second = await runPopulation({ input, out, workers: 0, resume: true, bucketBytes: 60_000 });
    if (second.status !== 'complete') throw new Error('interrupted again');
    expect(first.scoredThisRun + second.scoredThisRun).toBe(60);
    expect(second.summary.patients).toMatchObject({ total: 60, scored: 60 });
    expect(second.summary.computedAt).toBe(AS_OF.toISOString()); // the first run's clock is kept
    expect(existsSync(join(out, WORK_DIR))).toBe(false);

    // Every patient exactly once: RiskAssessment ids are deterministic per patient and model.
    const ras = lines(join(out, OUTPUT_FILES.riskAssessments)).map(
      (l) => JSON.parse(l) as { id: string; subject: { reference: string } },
    );
    expect(new Set(ras.map((r) => r.id)).size).toBe(ras.length);
    const rows = lines(join(out, OUTPUT_FILES.worklistNdjson)).map((l) => JSON.parse(l) as CareGap);
    const keys = rows.map((g) => `${g.patientId}|${g.gap}`);
    expect(new Set(keys).size).toBe(keys.length);
    // The same outputs as one uninterrupted run.
    const whole = temp('resume-whole');
    const once = await runPopulation({ input, out: whole, workers: 0, now: AS_OF, bucketBytes: 60_000 });
    if (once.status !== 'complete') throw new Error('interrupted');
    const sorted = (f: string): string[] => lines(f).sort();
    expect(sorted(join(out, OUTPUT_FILES.worklistNdjson))).toEqual(
      sorted(join(whole, OUTPUT_FILES.worklistNdjson)),
    );
    expect(sorted(join(out, OUTPUT_FILES.riskAssessments))).toEqual(
      sorted(join(whole, OUTPUT_FILES.riskAssessments)),
    );
  });

  it('stopped while partitioning, --resume starts again and completes', async () => {
    const input = temp('part-in');
    const out = temp('part-out');
    await writePopulation({ count: 12, out: input });
    const stop = new AbortController();
    stop.abort();
    const r = await runPopulation({ input, out, workers: 0, now: AS_OF, signal: stop.signal });
    expect(r).toEqual({ status: 'interrupted', scoredThisRun: 0, done: 0 });
    const again = await runPopulation({ input, out, workers: 0, resume: true, now: AS_OF });
    if (again.status !== 'complete') throw new Error('interrupted');
    expect(again.summary.patients).toMatchObject({ total: 12, scored: 12 });
  });

  it('refuses to resume over changed input', async () => {
    const input = temp('changed-in');
    const out = temp('changed-out');
    await writePopulation({ count: 10, out: input });
    const stop = new AbortController();
    const r = await runPopulation({
      input,
      out,
      workers: 0,
      now: AS_OF,
      signal: stop.signal,
      onProgress: (p) => {
        if (p.phase === 'score') stop.abort();
      },
    });
    expect(r.status).toBe('interrupted');
    writeFileSync(join(input, 'Patient.ndjson'), ndjson(panelResources('augur-cv-low').slice(0, 1)));
    await expect(runPopulation({ input, out, workers: 0, resume: true })).rejects.toThrow(
      /input files changed/,
    );
  });
});

describe('outputs', () => {
  it('writes the five files: RiskAssessments, the worklist as CSV and NDJSON, the summary, the report with plots', async () => {
    const input = temp('out-in');
    const out = temp('out-out');
    await writePopulation({
      count: 8,
      out: input,
      sources: ['augur-example', 'augur-cv-lipids-stale', 'augur-pgx-b', 'augur-kfre-acr-missing'],
    });
    const r = await runPopulation({ input, out, workers: 0, now: AS_OF });
    if (r.status !== 'complete') throw new Error('interrupted');
    const ras = lines(join(out, OUTPUT_FILES.riskAssessments)).map(
      (l) => JSON.parse(l) as { resourceType: string; subject: { reference: string } },
    );
    expect(ras.every((x) => x.resourceType === 'RiskAssessment')).toBe(true);
    expect(ras.some((x) => x.subject.reference === `Patient/${populationId('augur-example', 0)}`)).toBe(true);

    const csv = readFileSync(join(out, OUTPUT_FILES.worklistCsv), 'utf8').split('\r\n');
    expect(csv[0]).toBe(WORKLIST_COLUMNS.join(','));
    const rows = lines(join(out, OUTPUT_FILES.worklistNdjson)).map((l) => JSON.parse(l) as CareGap);
    expect(csv.filter((l) => l !== '')).toHaveLength(rows.length + 1);
    expect(new Set(rows.map((g) => g.gap))).toEqual(
      new Set([
        'cv-no-statin',
        'af-no-anticoagulant',
        'ckd-no-referral',
        'cv-lipids-missing',
        'pgx-interacting-drug',
        'ckd-acr-missing',
      ]),
    );
    const example = csv.find((l) => l.startsWith(`${populationId('augur-example', 0)},af-no-anticoagulant,`));
    expect(example).toContain(',recommended,warning,cha2ds2-vasc@1.0.0,score,3,');

    const summary = JSON.parse(readFileSync(join(out, OUTPUT_FILES.summary), 'utf8')) as Summary;
    expect(summary.patients).toMatchObject({ total: 8, scored: 8 });
    expect(
      summary.models['ascvd-pce-10y@1.0.0']?.distribution?.bins.reduce((a, b) => a + b, 0),
    ).toBeGreaterThan(0);

    const html = readFileSync(join(out, OUTPUT_FILES.report), 'utf8');
    expect(html).not.toMatch(/<script|src=|href=/); // self-contained
    const captions = [...html.matchAll(/<figcaption>([^<]*)<\/figcaption>\s*<svg/g)].map((m) => m[1] ?? '');
    expect(captions).toEqual(
      expect.arrayContaining([
        'Patients per care gap',
        'ascvd-pce-10y@1.0.0: distribution of risk_10y',
        'ascvd-pce-10y@1.0.0: patients per band',
        'kfre-4v@1.0.0: distribution of risk_5y',
        'cha2ds2-vasc@1.0.0: distribution of score',
      ]),
    );
    expect(captions.some((c) => c.includes('inputs most often stale'))).toBe(true);
    expect(captions.some((c) => c.includes('inputs most often missing'))).toBe(true);
    expect(captions.some((c) => c.includes('why no number'))).toBe(true);
    // No patient names or birth dates: identifiers and results only.
    expect(html).not.toMatch(/birthDate|"family"|"given"/);
    expect(readFileSync(join(out, OUTPUT_FILES.worklistNdjson), 'utf8')).not.toMatch(
      /birthDate|"family"|"given"/,
    );
  });
});

describe('the population generator', () => {
  it('makes dates current for --as-of (every date moved by the same days), and leaves them as they are without it', async () => {
    const plain = temp('gen-plain');
    const current = temp('gen-current');
    const later = new Date(AS_OF.getTime() + 300 * 86_400_000).toISOString().slice(0, 10);
    const a = await writePopulation({ count: 3, out: plain });
    const b = await writePopulation({ count: 3, out: current, asOf: later });
    expect(a.shiftedDays).toBe(0);
    expect(b.shiftedDays).toBe(300);
    const dated = (dir: string): { id: string; date: string }[] =>
      lines(join(dir, 'Observation.ndjson'))
        .map((l) => JSON.parse(l) as { id: string; effectiveDateTime?: string })
        .flatMap((o) => (o.effectiveDateTime === undefined ? [] : [{ id: o.id, date: o.effectiveDateTime }]));
    const before = dated(plain);
    const after = dated(current);
    expect(before.length).toBeGreaterThan(0);
    expect(after.map((o) => o.id)).toEqual(before.map((o) => o.id));
    for (const [i, o] of before.entries()) {
      const moved = (Date.parse(after[i]?.date ?? '') - Date.parse(o.date)) / 86_400_000;
      expect(moved).toBe(300);
    }
  });
});
