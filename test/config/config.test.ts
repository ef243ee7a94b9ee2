import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfigText, validateFileConfig } from '../../src/config/load.js';

const client = { iss: 'https://ehr.example', jwksUrl: 'https://ehr.example/jwks', algorithms: ['ES384'] };
const valid = { publicBaseUrl: 'https://augur.example', clients: [client] };

function errorOf(raw: unknown): string {
  try {
    validateFileConfig(raw, 'augur.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('the shipped examples are valid', () => {
    for (const f of ['examples/augur.example.yaml', 'examples/local-unauthenticated.json']) {
      expect(() => validateFileConfig(parseConfigText(readFileSync(f, 'utf8'), f), f)).not.toThrow();
    }
  });

  it('fills every default in one place', () => {
    const c = validateFileConfig(valid, 'x');
    expect(c.limits.bodyBytes).toBe(1024 * 1024);
    expect(c.limits.fhirDeadlineMs).toBe(1000);
    expect(c.clients[0]?.fhirServers).toEqual([]);
    expect(c.allowInsecureFhirServers).toBe(false);
    expect(c.cors).toEqual({ origins: [], allowAnyOrigin: false });
  });

  const bad: [string, unknown, string][] = [
    [
      'an HMAC algorithm',
      { ...valid, clients: [{ ...client, algorithms: ['ES384', 'HS256'] }] },
      'augur.yaml: clients[0].algorithms[1]:',
    ],
    ['alg none', { ...valid, clients: [{ ...client, algorithms: ['none'] }] }, 'clients[0].algorithms[0]'],
    [
      'neither jwksUrl nor jwks',
      { ...valid, clients: [{ iss: 'x', algorithms: ['ES384'] }] },
      'clients[0].jwksUrl: exactly one of',
    ],
    ['a trailing slash on publicBaseUrl', { ...valid, publicBaseUrl: 'https://a.example/' }, 'publicBaseUrl'],
    ['an unknown field (typo)', { ...valid, cleints: [] }, 'cleints'],
    [
      'a plain-http FHIR server',
      { ...valid, clients: [{ ...client, fhirServers: ['http://fhir.example'] }] },
      'clients[0].fhirServers[0]: plain-http',
    ],
    ['a duplicate issuer', { ...valid, clients: [client, client] }, 'clients[1].iss: duplicate'],
    ['a negative limit', { ...valid, limits: { bodyBytes: -1 } }, 'limits.bodyBytes'],
  ];
  for (const [name, raw, message] of bad) {
    it(`refuses ${name}, naming the field`, () => {
      expect(errorOf(raw)).toContain(message);
    });
  }

  it('accepts a plain-http FHIR server when the site allows it', () => {
    expect(() =>
      validateFileConfig(
        {
          ...valid,
          allowInsecureFhirServers: true,
          clients: [{ ...client, fhirServers: ['http://127.0.0.1:8103/fhir'] }],
        },
        'x',
      ),
    ).not.toThrow();
  });

  it('reads plain settings from env vars, naming a bad one', () => {
    expect(loadConfig({}).env).toMatchObject({ HOST: '127.0.0.1', PORT: 8080, AUGUR_DATA_DIR: './data' });
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/environment: PORT:/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
  });

  it('the embedded default trusts the cds-hooks sandbox issuer only', () => {
    const c = loadConfig({});
    expect(c.clients.map((x) => x.iss)).toEqual(['https://sandbox.cds-hooks.org']);
    expect(c.publicBaseUrl).toBe('http://127.0.0.1:8080');
    expect(c.allowUnauthenticatedLoopback).toBe(false);
  });

  it('loads JSON and YAML files named by AUGUR_CONFIG, and names an unreadable one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'augur-cfg-'));
    writeFileSync(join(dir, 'a.json'), JSON.stringify(valid));
    writeFileSync(join(dir, 'a.yaml'), 'publicBaseUrl: https://augur.example\nclients: []\n');
    writeFileSync(join(dir, 'bad.yaml'), 'publicBaseUrl: [unclosed\n');
    expect(loadConfig({ AUGUR_CONFIG: join(dir, 'a.json') }).clients).toHaveLength(1);
    expect(loadConfig({ AUGUR_CONFIG: join(dir, 'a.yaml') }).clients).toHaveLength(0);
    expect(() => loadConfig({ AUGUR_CONFIG: join(dir, 'bad.yaml') })).toThrow(/not valid YAML/);
    expect(() => loadConfig({ AUGUR_CONFIG: join(dir, 'missing.json') })).toThrow(
      /AUGUR_CONFIG: cannot read/,
    );
  });
});
