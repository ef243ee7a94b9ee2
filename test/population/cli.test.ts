/**
 * `augur score` end to end as a site runs it: `node bin/augur.mjs score` (the compiled CLI, worker
 * threads), interrupted by a real SIGINT once some patients are recorded, then `--resume`: every
 * patient exactly once in the outputs, the five files written. And the usage errors.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/config/paths.js';
import { OUTPUT_FILES, WORK_DIR } from '../../src/population/run.js';
import type { Summary } from '../../src/population/summary.js';
import { run } from '../../cli/main.js';
import { writePopulation } from '../../tools/population/generate.js';

const BIN = join(repoRoot(), 'bin', 'augur.mjs');

function augur(
  args: string[],
  onStart?: (kill: () => void, out: () => string) => void,
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, out });
    });
    onStart?.(
      () => child.kill('SIGINT'),
      () => out,
    );
  });
}

/** Patients recorded so far in the run's part files. */
function recorded(out: string): number {
  const parts = join(out, WORK_DIR, 'parts');
  if (!existsSync(parts)) return 0;
  return readdirSync(parts)
    .filter((f) => f.endsWith('.ndjson'))
    .reduce(
      (n, f) =>
        n +
        readFileSync(join(parts, f), 'utf8')
          .split('\n')
          .filter((l) => l !== '').length,
      0,
    );
}

describe('augur score (compiled CLI, worker threads)', () => {
  it('stops on SIGINT with a checkpoint, and --resume scores every patient exactly once', async () => {
    const input = mkdtempSync(join(tmpdir(), 'augur-score-cli-in-'));
    const out = mkdtempSync(join(tmpdir(), 'augur-score-cli-out-'));
    await writePopulation({ count: 150, out: input, filesPerType: 2 });
    const args = [
      'score',
      '--input',
      input,
      '--out',
      out,
      '--workers',
      '2',
      '--as-of',
      '2026-01-15',
      '--bucket-mb',
      '0.2',
    ];
    const first = await augur(args, (kill) => {
      const poll = setInterval(() => {
        if (recorded(out) >= 10) {
          clearInterval(poll);
          kill();
        }
      }, 50);
    });
    expect(first.out).toMatch(/stopping: finishing the patients in flight/);
    expect(first.out).toMatch(/interrupted after \d+ patients .* --resume/);
    expect(first.code).toBe(1);
    const done = recorded(out);
    expect(done).toBeGreaterThanOrEqual(10);
    expect(done).toBeLessThan(150);
    expect(existsSync(join(out, OUTPUT_FILES.summary))).toBe(false);

    const second = await augur([...args, '--resume']);
    expect(second.code, second.out).toBe(0);
    expect(second.out).toMatch(/150 patients scored, 0 not scored/);
    for (const f of Object.values(OUTPUT_FILES)) expect(statSync(join(out, f)).size, f).toBeGreaterThan(0);
    const summary = JSON.parse(readFileSync(join(out, OUTPUT_FILES.summary), 'utf8')) as Summary;
    expect(summary.patients).toMatchObject({ total: 150, scored: 150 });
    expect(summary.run).toMatchObject({ workers: 2, resumed: true });
    const ras = readFileSync(join(out, OUTPUT_FILES.riskAssessments), 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { id: string });
    expect(new Set(ras.map((r) => r.id)).size).toBe(ras.length);
    // The output never names a patient beyond their id (no names or birth dates in progress lines).
    expect(`${first.out}${second.out}`).not.toMatch(/augur-[a-z-]+-p\d+/);
  }, 240_000);

  it('answers usage errors with exit code 2', async () => {
    const err: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = (s: string) => {
      err.push(s);
      return true;
    };
    try {
      expect(await run(['score', '--out', tmpdir()])).toBe(2);
      expect(await run(['score', '--input', tmpdir(), '--out', tmpdir(), '--workers', 'many'])).toBe(2);
      expect(await run(['score', '--input', tmpdir(), '--out', tmpdir(), '--as-of', '15/01/2026'])).toBe(2);
    } finally {
      process.stderr.write = write;
    }
    expect(err.join('')).toMatch(/--input <folder> \(or --fhir <base>\) is required/);
    expect(err.join('')).toMatch(/--workers: "many"/);
    expect(err.join('')).toMatch(/--as-of/);
  });
});
