// Preloaded into the Augur under soak (`node --import ./bench/soak-probe.mjs dist/src/main.js`): on
// SIGUSR2 it writes the process's RSS and active resources to SOAK_PROBE_FILE. Not part of Augur.
import { writeFileSync } from 'node:fs';
import process from 'node:process';

const file = process.env.SOAK_PROBE_FILE;
if (file !== undefined) {
  process.on('SIGUSR2', () => {
    const resources = process.getActiveResourcesInfo();
    writeFileSync(file, JSON.stringify({ rss: process.memoryUsage().rss, resources }));
  });
}
