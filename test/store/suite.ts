/** Registers every shared store case against one engine, with the engine opened once for the file. */
import { afterAll, beforeAll, describe } from 'vitest';
import { auditAndResultCases } from './cases/audit-result.js';
import { feedbackCases } from './cases/feedback.js';
import { groupCommitCases } from './cases/group-commit.js';
import { historyCases } from './cases/history.js';
import { resetCases } from './cases/reset.js';
import { inputBinsCases } from './cases/input-bins.js';
import { lifecycleCases } from './cases/lifecycle.js';
import { migrationCases, type SetupOutcome } from './cases/migration.js';
import type { Engine } from './engines.js';
import { migrate } from '../../src/store/migrations.js';

/** Independent handles that migrate the empty database at the same time during setup. */
const CONCURRENT_MIGRATORS = 5;

/**
 * @param engineCases cases only one engine can run, registered after the shared ones and before the
 * engine is disposed.
 */
export function storeSuite(engine: Engine, engineCases: () => void = () => undefined): void {
  const setup: SetupOutcome = { applied: [], openMs: 0 };
  describe(`store on ${engine.name}`, () => {
    beforeAll(async () => {
      const t0 = performance.now();
      const handles = await engine.open(CONCURRENT_MIGRATORS);
      setup.openMs = performance.now() - t0;
      setup.applied = await Promise.all(handles.map((db) => migrate(db)));
    });
    afterAll(() => engine.dispose());

    migrationCases(engine, setup);
    feedbackCases(engine);
    historyCases(engine);
    resetCases(engine);
    auditAndResultCases(engine);
    groupCommitCases(engine);
    inputBinsCases(engine);
    // Last: it restarts the engine and closes the old handles.
    lifecycleCases(engine);
    engineCases();
  });
}
