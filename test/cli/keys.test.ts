/**
 * `augur keys`: generates the key once (file 0600 in a 0700 directory), prints the issuer, the JWKS and a
 * clients[] entry that the server's own config validation accepts; refuses a key file readable by others.
 */
import { chmodSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../cli/main.js';
import { validateFileConfig } from '../../src/config/load.js';

let out: string[];
let err: string[];
beforeEach(() => {
  out = [];
  err = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
});
afterEach(() => {
  vi.restoreAllMocks();
});

const fresh = (): string => join(mkdtempSync(join(tmpdir(), 'augur-keys-')), 'augur');

describe('augur keys', () => {
  it('creates the key once, mode 600 in a 700 directory, and prints issuer, JWKS and the clients[] entry', async () => {
    const dir = fresh();
    expect(await run(['keys', '--dir', dir, '--fhir', 'http://127.0.0.1:8103/fhir'])).toBe(0);
    const text = out.join('');
    expect(text).toContain(`Created the CLI's ES384 key: ${join(dir, 'client-key.json')}`);
    const file = join(dir, 'client-key.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const iss = /issuer \(iss\): (\S+)/.exec(text)?.[1];
    expect(iss).toMatch(/^urn:augur:cli:[A-Za-z0-9_-]{16}$/);
    expect(text).toContain('"trace": true');
    expect(text).not.toContain('"d"'); // never the private part

    out = [];
    expect(await run(['keys', '--dir', dir, '--json'])).toBe(0);
    const json = JSON.parse(out.join('')) as {
      iss: string;
      jwks: { keys: { d?: string; kid: string }[] };
      client: unknown;
    };
    expect(json.iss).toBe(iss); // the same key the second time
    expect(json.jwks.keys[0]?.d).toBeUndefined();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
      iss,
      privateJwk: { kid: json.jwks.keys[0]?.kid },
    });
    // The entry is a valid trusted client for the server, exactly as start-up validates it.
    const config = validateFileConfig({ clients: [json.client] }, 'keys output');
    expect(config.clients[0]).toMatchObject({ iss, algorithms: ['ES384'], trace: true });
  });

  it('refuses a key file readable by others, saying how to fix it', async () => {
    const dir = fresh();
    expect(await run(['keys', '--dir', dir])).toBe(0);
    expect(out.join('')).toContain('fhirServers is empty');
    chmodSync(join(dir, 'client-key.json'), 0o644);
    expect(await run(['keys', '--dir', dir])).toBe(1);
    expect(err.join('')).toMatch(/readable by others \(mode 644\): run chmod 600 /);
  });

  it('a bad --fhir is a usage error', async () => {
    expect(await run(['keys', '--dir', fresh(), '--fhir', 'not-a-url'])).toBe(2);
    expect(err.join('')).toContain('--fhir: "not-a-url" is not an absolute http(s) URL');
  });
});
