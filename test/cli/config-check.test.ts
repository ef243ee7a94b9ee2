/**
 * `augur config check`: the shipped example configs pass and say who is trusted for what; a broken
 * file fails with the server's own message naming the field (exit 1); a missing file says so.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../cli/main.js';

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

const dir = mkdtempSync(join(tmpdir(), 'augur-config-check-'));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('augur config check', () => {
  it('accepts the example configuration and prints each trusted client', async () => {
    expect(await run(['config', 'check', 'examples/augur.example.yaml'])).toBe(0);
    const text = out.join('');
    expect(text).toContain('examples/augur.example.yaml: valid');
    expect(text).toMatch(/keys: .*algorithms /);
    expect(text).toContain('FHIR servers Augur may call for it:');
  });

  it('names the loopback-only unauthenticated mode loudly', async () => {
    expect(await run(['config', 'check', 'examples/local-unauthenticated.json'])).toBe(0);
    expect(out.join('')).toContain('UNAUTHENTICATED loopback mode');
  });

  it('fails with the field named, exactly as start-up would', async () => {
    const bad = file(
      'bad.json',
      JSON.stringify({
        clients: [{ iss: 'https://ehr.example', jwksUrl: 'https://ehr.example/jwks', algorithms: ['HS256'] }],
      }),
    );
    expect(await run(['config', 'check', bad])).toBe(1);
    expect(err.join('')).toMatch(/^augur: .*bad\.json: clients\[0\]\.algorithms\[0\]/);
  });

  it('says when the file cannot be read, and refuses a missing argument as bad usage', async () => {
    expect(await run(['config', 'check', join(dir, 'nope.yaml')])).toBe(1);
    expect(err.join('')).toContain('cannot read');
    expect(await run(['config', 'check'])).toBe(2);
  });
});
