import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CANARY_VALUES } from './log-canary.js';
import { LOG_DIR } from './logs.js';

export function setup(): void {
  rmSync(LOG_DIR, { recursive: true, force: true });
  mkdirSync(LOG_DIR, { recursive: true });
}

/** The log-canary check: no canary PHI or token in any log line written during the whole suite. */
export function teardown(): void {
  const hits: string[] = [];
  let lines = 0;
  for (const f of readdirSync(LOG_DIR)) {
    for (const line of readFileSync(join(LOG_DIR, f), 'utf8').split('\n')) {
      if (line === '') continue;
      lines++;
      for (const c of CANARY_VALUES) if (line.includes(c)) hits.push(`${f}: ${c}`);
    }
  }
  if (hits.length > 0) throw new Error(`log canary: ${hits.length} canary value(s) found in logs:\n${hits.join('\n')}`);
  console.log(`log canary: ${lines} log lines scanned, no canary PHI or token found`);
}
