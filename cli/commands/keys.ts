/**
 * `augur keys [--dir <dir>] [--fhir <base>…] [--json]` — the CLI's ES384 key pair (generated once, file
 * mode 0600; cli/keys/local-key.ts): prints the issuer and the `clients[]` entry to paste into
 * AUGUR_CONFIG so a running Augur trusts `augur invoke`. `trace: true` is suggested for testers: it lets
 * the CLI see the trace and the reasons for a 401 (never for a production EHR's entry).
 */
import type { Command } from 'commander';
import { clientEntry, defaultKeyDir, loadOrCreateKey } from '../keys/local-key.js';
import { CliError } from '../errors.js';

interface KeysOptions {
  dir?: string;
  fhir: string[];
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('keys')
    .description(
      'generate (once) the ES384 key augur invoke signs with, and print the issuer and the AUGUR_CONFIG clients[] entry that trusts it',
    )
    .option('--dir <dir>', `where the key is kept (default ${defaultKeyDir()})`)
    .option(
      '--fhir <base>',
      'a FHIR server base URL Augur may call for this client (repeatable)',
      (v: string, acc: string[]) => [...acc, v],
      [],
    )
    .option('--json', 'print only {iss, jwks, client} as JSON')
    .action(async (o: KeysOptions) => {
      for (const base of o.fhir) {
        if (!URL.canParse(base) || !/^https?:$/.test(new URL(base).protocol))
          throw new CliError(`--fhir: "${base}" is not an absolute http(s) URL`, 2);
      }
      const key = await loadOrCreateKey(o.dir ?? defaultKeyDir());
      const client = clientEntry(key, o.fhir);
      if (o.json === true) {
        process.stdout.write(
          `${JSON.stringify({ iss: key.iss, jwks: { keys: [key.publicJwk] }, client }, null, 2)}\n`,
        );
        return;
      }
      process.stdout.write(
        [
          `${key.created ? 'Created' : 'Using'} the CLI's ES384 key: ${key.file} (mode 600; keep it private)`,
          `issuer (iss): ${key.iss}`,
          `key id (kid): ${key.kid}`,
          '',
          'JWKS (public key):',
          JSON.stringify({ keys: [key.publicJwk] }, null, 2),
          '',
          "Add this entry to AUGUR_CONFIG's clients[] (trace: true lets augur invoke show the trace and the",
          'reasons for a 401 — for testers only, never for a production EHR):',
          JSON.stringify(client, null, 2),
          ...(o.fhir.length === 0
            ? ['', 'fhirServers is empty: add the FHIR base URLs Augur may call (or pass --fhir <base>).']
            : []),
          '',
        ].join('\n'),
      );
    });
}
