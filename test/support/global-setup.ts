import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CANARY_VALUES } from './log-canary.js';
import { LOG_DIR } from './logs.js';
import { openStore } from '../../src/store/index.js';

const TEMPLATE_ROOT = join(import.meta.dirname, '..', '..', 'test-output');

/**
 * Clears the log directory, and creates one migrated PGlite database that test apps copy: creating a
 * PGlite database takes seconds (WASM initdb), reopening a copy well under one.
 */
export async function setup(): Promise<void> {
  rmSync(LOG_DIR, { recursive: true, force: true });
  mkdirSync(LOG_DIR, { recursive: true });
  // One template per run (test workers inherit the variable), so concurrent runs never share one.
  const template = join(TEMPLATE_ROOT, `pglite-template-${process.pid}`);
  rmSync(template, { recursive: true, force: true });
  const store = await openStore({ dataDir: template });
  await store.close();
  process.env['AUGUR_TEST_PGLITE_TEMPLATE'] = template;
}

/** The log-canary check: no canary PHI or token in any log line written during the whole suite. */
export function teardown(): void {
  const template = process.env['AUGUR_TEST_PGLITE_TEMPLATE'];
  if (template !== undefined) rmSync(template, { recursive: true, force: true });
  const hits: string[] = [];
  let lines = 0;
  for (const f of readdirSync(LOG_DIR)) {
    for (const line of readFileSync(join(LOG_DIR, f), 'utf8').split('\n')) {
      if (line === '') continue;
      lines++;
      for (const c of CANARY_VALUES) if (line.includes(c)) hits.push(`${f}: ${c}`);
    }
  }
  if (hits.length > 0)
    throw new Error(`log canary: ${hits.length} canary value(s) found in logs:\n${hits.join('\n')}`);
  console.log(`log canary: ${lines} log lines scanned, no canary PHI or token found`);
}
