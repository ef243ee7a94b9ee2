import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { fieldPath } from '../validation/field-path.js';
import { EnvSchema, FileConfigSchema, type Config, type FileConfig } from './schema.js';
import { loopbackVariants } from './public-urls.js';

/** The cds-hooks sandbox (https://sandbox.cds-hooks.org) signs ES384 JWTs with this published key set. */
export const SANDBOX_ISSUER = 'https://sandbox.cds-hooks.org';
const SANDBOX_JWKS = 'https://sandbox.cds-hooks.org/.well-known/jwks.json';

/** A configuration problem: the message names the variable, file and field. Stops start-up. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

function describeIssues(where: string, error: z.ZodError): string {
  return error.issues.map((i) => `${where}: ${fieldPath(i.path) || '(root)'}: ${i.message}`).join('\n');
}

/**
 * The embedded default, used when `AUGUR_CONFIG` is not set: trust the public cds-hooks sandbox
 * (its published ES384 key set, fetched from its well-known URL), let that browser app call us, and
 * let it point us at HTTPS FHIR servers only via its JWT-verified calls.
 */
export function defaultFileConfig(): unknown {
  return {
    clients: [
      {
        iss: SANDBOX_ISSUER,
        jwksUrl: SANDBOX_JWKS,
        jku: [SANDBOX_JWKS],
        algorithms: ['ES384'],
        fhirServers: ['https://launch.smarthealthit.org/v/r4/fhir', 'https://r4.smarthealthit.org'],
      },
    ],
    cors: { origins: [SANDBOX_ISSUER] },
  };
}

export function parseConfigText(text: string, file: string): unknown {
  const ext = extname(file).toLowerCase();
  try {
    return ext === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new ConfigError(`${file}: not valid ${ext === '.json' ? 'JSON' : 'YAML'}: ${(e as Error).message}`);
  }
}

/** Where Augur listens: the default public URL when the file names none. */
export interface ListenAddress {
  host: string;
  port: number;
}

/** `http://{host}:{port}`, with an IPv6 host in brackets. */
export const listenUrl = ({ host, port }: ListenAddress): string =>
  `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

/**
 * Validates the trusted-client file. Without a `publicBaseUrl`, Augur's public URL is where it listens
 * (`listen`, default 127.0.0.1:8080), so card links follow PORT.
 */
export function validateFileConfig(
  raw: unknown,
  where: string,
  listen: ListenAddress = { host: '127.0.0.1', port: 8080 },
): FileConfig {
  const parsed = FileConfigSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(describeIssues(where, parsed.error));
  const given = parsed.data.publicBaseUrl ?? listenUrl(listen);
  const urls = typeof given === 'string' ? [given] : given;
  const file: FileConfig = {
    ...parsed.data,
    publicBaseUrl: urls[0] ?? listenUrl(listen),
    publicBaseUrls: [...new Set(urls.flatMap(loopbackVariants))],
  };
  const issuers = new Set<string>();
  file.clients.forEach((c, i) => {
    if (issuers.has(c.iss)) throw new ConfigError(`${where}: clients[${i}].iss: duplicate issuer "${c.iss}"`);
    issuers.add(c.iss);
    if (!file.allowInsecureFhirServers) {
      const j = c.fhirServers.findIndex((u) => u.startsWith('http:'));
      if (j >= 0) {
        throw new ConfigError(
          `${where}: clients[${i}].fhirServers[${j}]: plain-http FHIR server refused (set "allowInsecureFhirServers": true for local testing)`,
        );
      }
    }
  });
  return file;
}

/** Loads and validates the whole configuration from the environment (and the file it names). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsedEnv = EnvSchema.safeParse(env);
  if (!parsedEnv.success) throw new ConfigError(describeIssues('environment', parsedEnv.error));
  const e = parsedEnv.data;
  let raw: unknown;
  let where = 'embedded default configuration';
  if (e.AUGUR_CONFIG !== undefined) {
    where = e.AUGUR_CONFIG;
    let text: string;
    try {
      text = readFileSync(e.AUGUR_CONFIG, 'utf8');
    } catch (err) {
      throw new ConfigError(
        `AUGUR_CONFIG: cannot read ${e.AUGUR_CONFIG}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`,
      );
    }
    raw = parseConfigText(text, e.AUGUR_CONFIG);
  } else {
    raw = defaultFileConfig();
  }
  const file = validateFileConfig(raw, where, { host: e.HOST, port: e.PORT });
  return { ...file, env: e, assertResponses: e.NODE_ENV !== 'production' };
}
