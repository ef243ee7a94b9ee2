/**
 * Augur for the sandbox, as in production: the same entry point (`dist/src/main.js` when running the
 * built CLI; `src/main.ts` through tsx when the sandbox runs from sources, as in tests) in its own
 * process, configured by environment and an AUGUR_CONFIG file written into the sandbox data dir.
 * Its log goes to `<dataDir>/augur.log`. Ready when `/readyz` answers 200.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { join } from 'node:path';

export interface AugurProcess {
  url: string;
  child: ChildProcess;
  logFile: string;
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
}

export function augurEntry(root: string, fromSources: boolean): string[] {
  if (fromSources) return ['--import', 'tsx', join(root, 'src', 'main.ts')];
  const built = join(root, 'dist', 'src', 'main.js');
  if (!existsSync(built)) throw new Error(`${built} is missing: run the sandbox through \`npm run sandbox\``);
  return [built];
}

export async function startAugur(o: {
  root: string;
  fromSources: boolean;
  port: number;
  configFile: string;
  dataDir: string;
  metricsToken: string;
  readyTimeoutMs?: number;
}): Promise<AugurProcess> {
  const logFile = join(o.dataDir, 'augur.log');
  const log = createWriteStream(logFile, { flags: 'a' });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOST: '127.0.0.1',
    PORT: String(o.port),
    AUGUR_CONFIG: o.configFile,
    AUGUR_DATA_DIR: join(o.dataDir, 'store'),
    AUGUR_METRICS_TOKEN: o.metricsToken,
    NODE_ENV: 'development',
  };
  // The sandbox's Augur uses its own embedded store, never a PostgreSQL or Redis from the environment.
  delete env['DATABASE_URL'];
  delete env['REDIS_URL'];
  const child = spawn(process.execPath, augurEntry(o.root, o.fromSources), {
    cwd: o.root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const url = `http://127.0.0.1:${String(o.port)}`;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      resolve(code);
    }),
  );

  const deadline = Date.now() + (o.readyTimeoutMs ?? 180_000);
  let ready = false;
  const state = { gone: false };
  void exited.then(() => {
    state.gone = true;
  });
  while (!ready && !state.gone && Date.now() < deadline) {
    try {
      ready = (await fetch(`${url}/readyz`)).status === 200;
    } catch {
      // not listening yet
    }
    if (!ready) await new Promise((r) => setTimeout(r, 100));
  }
  if (!ready) {
    child.kill('SIGTERM');
    throw new Error(`Augur did not become ready (${state.gone ? 'it exited' : 'timed out'}); see ${logFile}`);
  }
  return {
    url,
    child,
    logFile,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
