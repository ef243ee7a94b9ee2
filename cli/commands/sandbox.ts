/**
 * `augur sandbox [--port <base>] [--data-dir <dir>]` (what `npm run sandbox` runs): starts the Augur
 * sandbox on 127.0.0.1 — the FHIR server seeded with the synthetic panel, the SMART authorization
 * server, Augur as in production and the EHR simulator (sandbox/README.md) — prints every URL and what to
 * click, and runs until SIGTERM/SIGINT (then stops everything and exits 0).
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { repoRoot } from '../../src/config/paths.js';
import type { Sandbox } from '../../sandbox/sandbox.js';
import { CliError } from '../errors.js';

interface SandboxCliOptions {
  port: string;
  dataDir?: string;
}

export const DEFAULT_BASE_PORT = 8090;

function instructions(s: Sandbox): string {
  const u = s.urls;
  return `
Augur sandbox ready (127.0.0.1 only). ${String(s.patients)} synthetic patients loaded.

  EHR simulator     ${u.simulator}      ← open this
  Augur             ${u.augur}   (discovery ${u.discovery})
  FHIR server       ${u.fhir}   (needs a token from the authorization server)
  Authorization     ${u.auth}
  Side app          ${u.sideApp}
  Augur's log       ${s.augur.logFile}

What to click in the simulator:
  1. Pick a patient (the synthetic panel shows what Augur should show for each; e.g. augur-example).
  2. "Open the chart (patient-view)": the cards appear; the inspector shows the JWT, context, prefetch keys and the answer.
  3. "Accept: …" on a suggestion shows the FHIR actions and sends accepted feedback;
     "Override with this reason" sends overridden feedback — fire again and the card stays silent.
  4. "Launch: …" opens the side app through the authorization server: sign in as the sandbox user
     (no password), Allow, and see the card's number.
  5. "Reset this patient's card history" shows the cards again (audited in Augur's store).
  6. Pick a drug and fire order-select / order-sign (PGx cards for the CPIC drugs).

Stop with Ctrl-C (or SIGTERM).
`;
}

export function register(program: Command): void {
  program
    .command('sandbox')
    .description(
      'run the Augur sandbox: EHR simulator, FHIR server with the synthetic panel, SMART authorization server and Augur (loopback only)',
    )
    .option(
      '--port <base>',
      `first of four ports: Augur, FHIR (+1), authorization (+2), simulator (+3)`,
      String(DEFAULT_BASE_PORT),
    )
    .option('--data-dir <dir>', "Augur's store, config and log for the sandbox (default: data/sandbox)")
    .action(async (o: SandboxCliOptions) => {
      const base = Number(o.port);
      if (!Number.isInteger(base) || base < 0 || base > 65532)
        throw new CliError(`--port: "${o.port}" is not a port number (0 picks free ports)`, 2);
      const root = repoRoot();
      const dataDir =
        o.dataDir === undefined
          ? join(root, 'data', 'sandbox')
          : isAbsolute(o.dataDir)
            ? o.dataDir
            : resolve(o.dataDir);
      const fromSources = import.meta.url.endsWith('.ts');
      // The side app Augur serves: built now when missing or stale (fast when current).
      const builder = join(root, 'tools', 'build-if-stale.mjs');
      if (existsSync(builder)) {
        const { ensureAppBuilt } = (await import(pathToFileURL(builder).href)) as {
          ensureAppBuilt: () => Promise<void>;
        };
        await ensureAppBuilt();
      }
      let sandbox: Sandbox;
      try {
        // Loaded only here: the sandbox's authorization server (oidc-provider) warns at import on Node 20,
        // which every other `augur` command would print.
        const { startSandbox } = await import('../../sandbox/sandbox.js');
        sandbox = await startSandbox({
          root,
          basePort: base,
          dataDir,
          fromSources,
          log: (line) => process.stdout.write(`${line}\n`),
        });
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        if (e.code === 'EADDRINUSE')
          throw new CliError(`a sandbox port is in use (${e.message}): try --port <another base>`);
        throw new CliError(`the sandbox could not start: ${e.message}`);
      }
      process.stdout.write(instructions(sandbox));
      const signal = await new Promise<string>((done) => {
        process.once('SIGTERM', () => {
          done('SIGTERM');
        });
        process.once('SIGINT', () => {
          done('SIGINT');
        });
      });
      process.stdout.write(`${signal}: stopping the sandbox…\n`);
      const code = await sandbox.stop();
      process.stdout.write(`sandbox stopped (Augur exited ${String(code)})\n`);
      process.exit(code === 0 ? 0 : 1);
    });
}
