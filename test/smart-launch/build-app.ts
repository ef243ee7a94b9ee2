/**
 * vitest globalSetup: builds the side app once per test run into its own folder (test-output/, so a
 * concurrent run or `npm run build:app` never swaps files under a running test) and names it in
 * AUGUR_TEST_APP_DIR for the harness (test workers inherit the variable).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';

const ROOT = join(import.meta.dirname, '..', '..');
let outDir: string | undefined;

export async function setup(): Promise<void> {
  outDir = join(ROOT, 'test-output', `smart-launch-${process.pid}`);
  await build({
    configFile: join(ROOT, 'smart-launch', 'vite.config.ts'),
    logLevel: 'error',
    build: { outDir, emptyOutDir: true },
  });
  process.env['AUGUR_TEST_APP_DIR'] = outDir;
}

export function teardown(): void {
  if (outDir !== undefined) rmSync(outDir, { recursive: true, force: true });
}
