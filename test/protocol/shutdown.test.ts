/**
 * The real entry point, as `npm start` runs it (from source, through tsx): it starts, becomes ready,
 * and on SIGTERM stops taking work, lets the in-flight request finish, and exits 0.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

async function waitReady(port: number, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('service did not become ready');
}

it('drains in-flight requests on SIGTERM and exits 0', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'augur-main-'));
  const port = 20000 + Math.floor(Math.random() * 20000);
  // Loopback-only unauthenticated mode, so the in-flight request waits on its body, not on a JWT.
  const configFile = join(dataDir, 'augur.json');
  writeFileSync(
    configFile,
    JSON.stringify({ publicBaseUrl: `http://127.0.0.1:${port}`, allowUnauthenticatedLoopback: true }),
  );
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      AUGUR_DATA_DIR: dataDir,
      AUGUR_CONFIG: configFile,
      LOG_LEVEL: 'info',
      NODE_ENV: 'production',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  try {
    await waitReady(port, 60_000);
    // An in-flight request: headers and half the body sent, the rest after SIGTERM.
    const body = JSON.stringify({ feedback: [] });
    let signalledAt = 0;
    const answered = new Promise<{ status: number; at: number }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/cds-services/x',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0, at: Date.now() });
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 5));
      setTimeout(() => {
        child.kill('SIGTERM');
        signalledAt = Date.now();
        setTimeout(() => req.end(body.slice(5)), 300);
      }, 200);
    });
    const { status, at } = await answered;
    expect(status).toBe(404); // the body was read to the end, after the signal, then answered
    expect(at).toBeGreaterThan(signalledAt);
    expect(await exited).toBe(0);
    expect(output).toContain('shutting down');
    expect(output).toContain('"msg":"stopped"');
    expect(output).toContain('UNAUTHENTICATED MODE');
  } finally {
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 120_000);
