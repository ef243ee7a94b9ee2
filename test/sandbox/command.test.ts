/**
 * `augur sandbox` as a tester runs it (the CLI entry, free ports): it prints every URL and what to click,
 * the simulator and Augur answer, and SIGTERM stops everything and exits 0. Bad arguments exit 2.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/config/paths.js';

const ROOT = repoRoot();
const dirs: string[] = [];

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function augur(args: string[]): ReturnType<typeof spawn> {
  return spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'cli', 'entry.ts'), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('augur sandbox', () => {
  it('starts, prints the URLs, serves the simulator and Augur, and exits 0 on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'augur-sandbox-cmd-'));
    dirs.push(dataDir);
    const child = augur(['sandbox', '--port', '0', '--data-dir', dataDir]);
    let out = '';
    child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => {
        resolve(code);
      }),
    );
    const deadline = Date.now() + 180_000;
    while (!out.includes('Stop with Ctrl-C') && child.exitCode === null && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    expect(out).toContain('Augur sandbox ready');
    const simulator = /EHR simulator\s+(\S+)/.exec(out)?.[1];
    const augurUrl = /Augur\s+(http\S+)/.exec(out)?.[1];
    expect(simulator).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/sandbox\/$/);
    expect(out).toMatch(/FHIR server\s+http:\/\/127\.0\.0\.1:\d+\/fhir/);
    expect(out).toContain('What to click');
    expect((await fetch(simulator ?? '')).status).toBe(200);
    expect((await fetch(`${augurUrl ?? ''}/readyz`)).status).toBe(200);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain('sandbox stopped (Augur exited 0)');
    // Everything is closed: nothing answers any more.
    await expect(fetch(simulator ?? '')).rejects.toThrow();
    await expect(fetch(`${augurUrl ?? ''}/readyz`)).rejects.toThrow();
  }, 240_000);

  it('refuses a bad --port with exit code 2', async () => {
    const child = augur(['sandbox', '--port', 'eighty']);
    let err = '';
    child.stderr?.on('data', (b: Buffer) => (err += b.toString()));
    const code = await new Promise<number | null>((resolve) =>
      child.once('exit', (c) => {
        resolve(c);
      }),
    );
    expect(code).toBe(2);
    expect(err).toContain('--port: "eighty" is not a port number');
  }, 60_000);
});
