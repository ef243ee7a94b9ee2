import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aCard, aFeedback } from './builders.js';
import { pgliteEngine } from './engines.js';
import { storeSuite } from './suite.js';

const engine = pgliteEngine();
const ROOT = join(import.meta.dirname, '..', '..');

/** Runs the writer child in `dataDir` and SIGKILLs it as soon as it reports its writes acknowledged. */
function writeThenKill(dataDir: string, records: object): Promise<void> {
  const child = spawn(
    join(ROOT, 'node_modules', '.bin', 'vite-node'),
    [join(import.meta.dirname, 'fixtures', 'write-then-hang.ts')],
    {
      cwd: ROOT,
      env: { ...process.env, AUGUR_TEST_DATA_DIR: dataDir, AUGUR_TEST_RECORDS: JSON.stringify(records) },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('acknowledged')) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`writer exited with ${String(code)} before acknowledging: ${stderr}`));
    });
  });
}

storeSuite(engine, () => {
  describe('pglite crash durability', () => {
    it(
      'keeps writes acknowledged just before the process was killed with SIGKILL',
      { timeout: 120_000 },
      async () => {
        const card = aCard();
        const feedback = aFeedback({ cardUuid: card.cardUuid });
        // One process per data directory: hand it to the child, take it back after the kill.
        await engine.release();
        await writeThenKill(engine.dataDir, { card, feedback });
        await engine.restart();

        const [entry] = await engine.store.findCardHistory({ patientRef: card.patientRef });
        expect(entry).toEqual({
          ...card,
          feedback: [
            {
              outcome: 'accepted',
              acceptedSuggestions: feedback.acceptedSuggestions,
              outcomeTimestamp: feedback.outcomeTimestamp,
            },
          ],
        });
        expect(await engine.store.recordFeedback(feedback)).toEqual({ inserted: false });
      },
    );
  });
});
