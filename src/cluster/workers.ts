/**
 * How many worker processes Augur runs (node:cluster: the workers share the listening port, the primary
 * only supervises). Pure: decided from the environment and the core count.
 */
import type { EnvConfig } from '../config/schema.js';

export interface WorkerPlan {
  count: number;
  /** Why this count, for the start-up log. */
  reason: string;
}

/** @throws Error naming what is missing when more than one worker is asked for and cannot be shared. */
export function planWorkers(env: EnvConfig, cores: number): WorkerPlan {
  const shared = env.DATABASE_URL !== undefined && env.REDIS_URL !== undefined;
  const asked = env.AUGUR_WORKERS;
  if (typeof asked === 'number') {
    if (asked > 1 && !shared)
      throw new Error(
        `AUGUR_WORKERS=${String(asked)} needs DATABASE_URL and REDIS_URL: the embedded store is one process's, and the JWT replay cache and rate limits must be shared by every worker`,
      );
    return { count: asked, reason: 'AUGUR_WORKERS' };
  }
  if (!shared)
    return {
      count: 1,
      reason:
        asked === 'auto'
          ? 'AUGUR_WORKERS=auto: one process (no DATABASE_URL and REDIS_URL to share between workers)'
          : 'one process (set DATABASE_URL and REDIS_URL to use every core)',
    };
  if (asked === undefined && env.NODE_ENV !== 'production')
    return { count: 1, reason: 'one process outside production (AUGUR_WORKERS=auto to use every core)' };
  return { count: Math.max(1, cores), reason: `one worker per available core (${String(cores)})` };
}
