/** Store latency for /metrics: the same Store, each async method timed under its own name. */
import type { Store } from '../store/types.js';
import { storeDuration } from './metrics.js';

/** Wraps every method of `store` (the store itself is unchanged; `close` is not timed). */
export function timedStore(store: Store): Store {
  const timed = { ...store } as Record<string, unknown>;
  for (const [name, value] of Object.entries(store)) {
    if (typeof value !== 'function' || name === 'close') continue;
    const method = value as (...args: unknown[]) => unknown;
    timed[name] = async (...args: unknown[]): Promise<unknown> => {
      const end = storeDuration.startTimer({ operation: name });
      try {
        return await method.apply(store, args);
      } finally {
        end();
      }
    };
  }
  return timed as unknown as Store;
}
