import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { createLogger } from '../../src/log/logger.js';

export const LOG_DIR = join(import.meta.dirname, '..', '..', 'test-output', 'logs');

let shared: Logger | undefined;

/**
 * The logger every test app uses: debug level, written to a per-worker file that the global teardown
 * scans for canary PHI and tokens.
 */
export function testLogger(): Logger {
  if (shared === undefined) {
    mkdirSync(LOG_DIR, { recursive: true });
    const dest = pino.destination({ dest: join(LOG_DIR, `worker-${process.pid}.ndjson`), sync: true });
    shared = createLogger({ level: 'trace', destination: dest });
  }
  return shared;
}
