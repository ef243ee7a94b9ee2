/** Writes each model's development-distribution.json (see tools/development-distributions.ts). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEVELOPMENT_DISTRIBUTION_FILE } from '../src/monitoring/development-distribution.js';
import { developmentDistributions, ROOT, serialise } from './development-distributions.js';

for (const [folder, d] of Object.entries(developmentDistributions())) {
  const file = join(ROOT, 'models', folder, DEVELOPMENT_DISTRIBUTION_FILE);
  writeFileSync(file, serialise(d));
  process.stdout.write(`wrote ${file}\n`);
}
