/** How many worker processes Augur runs, decided from the environment (src/cluster/workers.ts). */
import { describe, expect, it } from 'vitest';
import { planWorkers } from '../../src/cluster/workers.js';
import { EnvSchema } from '../../src/config/schema.js';

const env = (vars: Record<string, string>) => EnvSchema.parse(vars);
const SHARED = { DATABASE_URL: 'postgres://db/augur', REDIS_URL: 'redis://cache:6379' };

describe('planWorkers', () => {
  it('uses every core in production when the store and the caches can be shared', () => {
    expect(planWorkers(env({ NODE_ENV: 'production', ...SHARED }), 8).count).toBe(8);
    expect(planWorkers(env({ AUGUR_WORKERS: 'auto', ...SHARED }), 3).count).toBe(3);
  });

  it('runs one process on the embedded store, outside production, or when told to', () => {
    expect(planWorkers(env({ NODE_ENV: 'production' }), 8)).toMatchObject({ count: 1 });
    expect(planWorkers(env({ NODE_ENV: 'production', DATABASE_URL: SHARED.DATABASE_URL }), 8).count).toBe(1);
    expect(planWorkers(env({ AUGUR_WORKERS: 'auto' }), 8).reason).toMatch(/DATABASE_URL and REDIS_URL/);
    expect(planWorkers(env({ ...SHARED }), 8).count).toBe(1);
    expect(planWorkers(env({ NODE_ENV: 'production', AUGUR_WORKERS: '1', ...SHARED }), 8).count).toBe(1);
  });

  it('refuses more than one worker that could not share the store, replay cache and limits', () => {
    expect(() => planWorkers(env({ AUGUR_WORKERS: '2' }), 8)).toThrow(/needs DATABASE_URL and REDIS_URL/);
    expect(() => planWorkers(env({ AUGUR_WORKERS: '2', DATABASE_URL: SHARED.DATABASE_URL }), 8)).toThrow();
    expect(planWorkers(env({ AUGUR_WORKERS: '2', ...SHARED }), 8).count).toBe(2);
  });

  it('rejects a count that is not a positive integer or auto', () => {
    for (const bad of ['0', '-1', '1.5', 'all', ''])
      expect(EnvSchema.safeParse({ AUGUR_WORKERS: bad }).success, bad).toBe(false);
  });
});
