/**
 * `augur config check <file>` — validates an AUGUR_CONFIG file with the server's own schema and checks
 * (the same `validateFileConfig` start-up runs) and prints who is trusted for what. Exit 0 when the file
 * is valid, 1 with the server's own message naming the field when it is not.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ConfigError, parseConfigText, validateFileConfig } from '../../src/config/load.js';
import type { FileConfig } from '../../src/config/schema.js';
import { CliError } from '../errors.js';

/** The trust summary a site reads before deploying the file. */
export function describeTrust(file: string, config: FileConfig): string {
  const lines = [`${file}: valid`, `public URL(s): ${config.publicBaseUrls.join(', ')}`];
  if (config.clients.length === 0) lines.push('trusted clients: none (every hook call is refused with 401)');
  for (const c of config.clients) {
    const keys =
      c.jwks !== undefined
        ? `${String(c.jwks.keys.length)} pinned key(s) inline`
        : `key set fetched from ${c.jwksUrl ?? '?'}`;
    lines.push(`- ${c.iss}`);
    lines.push(`    keys: ${keys}; algorithms ${c.algorithms.join(', ')}`);
    lines.push(`    jku accepted: ${c.jku.length === 0 ? 'none' : c.jku.join(', ')}`);
    lines.push(
      `    FHIR servers Augur may call for it: ${c.fhirServers.length === 0 ? 'none (prefetch only)' : c.fhirServers.join(', ')}`,
    );
    if (c.tenants !== undefined) lines.push(`    tenants: ${c.tenants.join(', ')}`);
    if (c.refetchNullPrefetch) lines.push('    null prefetch keys are fetched (refetchNullPrefetch)');
    if (c.allowHistoryReset === true) lines.push('    TESTING: may reset card history (allowHistoryReset)');
  }
  if (config.allowInsecureFhirServers) lines.push('plain-http FHIR servers allowed (local testing only)');
  if (config.allowUnauthenticatedLoopback)
    lines.push('UNAUTHENTICATED loopback mode: calls without a JWT are accepted (never in production)');
  const off = Object.entries(config.services).flatMap(([id, s]) => (s.enabled ? [] : [id]));
  if (off.length > 0) lines.push(`services switched off: ${off.join(', ')}`);
  return lines.join('\n');
}

export function checkConfigFile(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    return describeTrust(file, validateFileConfig(parseConfigText(text, file), file));
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message);
    throw err;
  }
}

export function register(program: Command): void {
  const config = program.command('config').description('work with an AUGUR_CONFIG file');
  config
    .command('check')
    .description('validate an AUGUR_CONFIG file (JSON or YAML) and print who is trusted for what')
    .argument('<file>', 'the AUGUR_CONFIG file')
    .action((file: string) => {
      process.stdout.write(`${checkConfigFile(file)}\n`);
    });
}
