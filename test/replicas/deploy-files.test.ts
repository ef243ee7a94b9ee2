/**
 * The deployment example in deploy/ stays true: haproxy accepts its config, Augur accepts its
 * AUGUR_CONFIG, and the balancer's servers are exactly the compose file's Augur replicas, each given the
 * shared PostgreSQL and Redis.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConfigText, validateFileConfig } from '../../src/config/load.js';
import { repoRoot } from '../../src/config/paths.js';
import { requireHaproxy } from './cluster.js';

const DEPLOY = join(repoRoot(), 'deploy');
const read = (f: string): string => readFileSync(join(DEPLOY, f), 'utf8');

interface Compose {
  services: Record<string, { environment?: Record<string, string>; command?: string[] }>;
}

describe('deploy/', () => {
  it('haproxy.cfg is valid for haproxy', () => {
    const check = spawnSync(requireHaproxy(), ['-c', '-f', join(DEPLOY, 'haproxy.cfg')], {
      encoding: 'utf8',
    });
    expect(check.stdout + check.stderr).toContain('Configuration file is valid');
    expect(check.status).toBe(0);
  });

  it('augur.yaml is a valid AUGUR_CONFIG that trusts the balancer and drains longer than its checks', () => {
    const config = validateFileConfig(parseConfigText(read('augur.yaml'), 'augur.yaml'), 'augur.yaml');
    expect(config.trustProxy.length).toBeGreaterThan(0);
    const cfg = read('haproxy.cfg');
    const inter = Number(/inter (\d+)s/.exec(cfg)?.[1]);
    const fall = Number(/fall (\d+)/.exec(cfg)?.[1]);
    expect(config.limits.drainDelayMs).toBeGreaterThan(inter * fall * 1000);
  });

  it("haproxy's servers are the compose file's Augur replicas, each on the shared PostgreSQL and Redis", () => {
    const compose = parse(read('compose.yaml'), { merge: true }) as Compose;
    const servers = [...read('haproxy.cfg').matchAll(/^\s*server (\S+) (\S+):8080 check/gm)].map((m) => m[1]);
    expect(servers).toHaveLength(3);
    for (const name of servers) {
      const service = compose.services[name ?? ''];
      expect(service, name).toBeDefined();
      expect(service?.environment?.['DATABASE_URL']).toMatch(/^postgres:\/\/.*@postgres:5432\//);
      expect(service?.environment?.['REDIS_URL']).toBe('redis://redis:6379');
      expect(service?.environment?.['NODE_ENV']).toBe('production');
    }
  });
});
