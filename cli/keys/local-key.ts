/**
 * The CLI's own signing key: one ES384 key pair per user, generated once, that `augur invoke` signs its
 * hook calls with (as an EHR signs with its key). Stored as one JSON file, mode 0600, in a directory of
 * mode 0700: `--dir`, else `$AUGUR_CLI_HOME`, else `$XDG_CONFIG_HOME/augur`, else `~/.config/augur`.
 * A file readable by others is refused (as ssh refuses a loose private key).
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type CryptoKey,
} from 'jose';
import { CliError } from '../errors.js';

export const KEY_FILE = 'client-key.json';
export const ALG = 'ES384';

export interface LocalKey {
  /** The issuer the CLI signs as: `urn:augur:cli:<key thumbprint prefix>`, stable for the key. */
  iss: string;
  kid: string;
  file: string;
  /** Public JWK (kid, alg, use) to paste into AUGUR_CONFIG. */
  publicJwk: JWK;
  privateKey: CryptoKey | Uint8Array;
  created: boolean;
}

interface Stored {
  iss: string;
  privateJwk: JWK;
}

export function defaultKeyDir(env: NodeJS.ProcessEnv = process.env): string {
  const home = env['AUGUR_CLI_HOME'];
  if (home !== undefined && home !== '') return home;
  const xdg = env['XDG_CONFIG_HOME'];
  return join(xdg !== undefined && xdg !== '' ? xdg : join(homedir(), '.config'), 'augur');
}

/** Loads the key in `dir` (default: defaultKeyDir()), generating and storing it the first time. */
export async function loadOrCreateKey(dir: string = defaultKeyDir()): Promise<LocalKey> {
  const file = join(dir, KEY_FILE);
  if (existsSync(file)) return load(file);
  const { privateKey } = await generateKeyPair(ALG, { extractable: true });
  const privateJwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(privateJwk);
  const stored: Stored = {
    iss: `urn:augur:cli:${kid.slice(0, 16)}`,
    privateJwk: { ...privateJwk, kid, alg: ALG, use: 'sig' },
  };
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
  } catch (err) {
    throw new CliError(`cannot store the key in ${file}: ${(err as Error).message}`);
  }
  return { ...(await load(file)), created: true };
}

async function load(file: string): Promise<LocalKey> {
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0)
    throw new CliError(
      `${file} is readable by others (mode ${mode.toString(8)}): run chmod 600 ${file}, or delete it to make a new key`,
    );
  let stored: Stored;
  try {
    stored = JSON.parse(readFileSync(file, 'utf8')) as Stored;
  } catch (err) {
    throw new CliError(`${file} is not a key file written by augur keys (${(err as Error).message})`);
  }
  const jwk = stored.privateJwk;
  if (typeof stored.iss !== 'string' || typeof jwk.kid !== 'string' || jwk.d === undefined)
    throw new CliError(`${file} is not a key file written by augur keys (iss, privateJwk with kid and d)`);
  const { d: _d, ...publicJwk } = jwk;
  return {
    iss: stored.iss,
    kid: jwk.kid,
    file,
    publicJwk,
    privateKey: await importJWK(jwk, ALG),
    created: false,
  };
}

/** The `clients[]` entry that trusts this key, for AUGUR_CONFIG. */
export function clientEntry(
  key: LocalKey,
  fhirServers: readonly string[],
  trace = true,
): Record<string, unknown> {
  return {
    iss: key.iss,
    jwks: { keys: [key.publicJwk] },
    algorithms: [ALG],
    fhirServers: [...fhirServers],
    ...(trace ? { trace: true } : {}),
  };
}
