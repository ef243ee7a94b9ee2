/**
 * `npm start` as a process manager runs it: it builds what changed (nothing, when the tree is current),
 * serves, and a SIGTERM sent to the npm process reaches the server — which drains and stops — and npm
 * exits 0. (Before: `sh -c "… && node …"` swallowed the signal; npm exited 143 and the server kept
 * serving.) PORT=0: the port is read from the server's "Augur listening" log line.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

async function ready(port: number, until: number): Promise<void> {
  while (Date.now() < until) {
    try {
      if ((await fetch(`http://127.0.0.1:${String(port)}/readyz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('npm start did not become ready');
}

it('SIGTERM to the npm process stops the server and npm exits 0', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'augur-npm-start-'));
  const child = spawn('npm', ['start'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', AUGUR_DATA_DIR: dataDir, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const port = new Promise<number>((resolve) => {
    const onData = (d: Buffer): void => {
      output += d.toString();
      const m = /"port":(\d+)[^\n]*"msg":"Augur listening"/.exec(output);
      if (m !== null) resolve(Number(m[1]));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      resolve({ code, signal });
    }),
  );
  try {
    const p = await port;
    await ready(p, Date.now() + 150_000);
    expect(child.kill('SIGTERM')).toBe(true);
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(output).toContain('"msg":"stopped"');
    await expect(fetch(`http://127.0.0.1:${String(p)}/readyz`)).rejects.toThrow();
  } finally {
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 200_000);
