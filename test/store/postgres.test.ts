import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { aCard } from './builders.js';
import { postgresEngine } from './engines.js';
import { storeSuite } from './suite.js';

const engine = postgresEngine();

storeSuite(engine, () => {
  describe('openStore on postgres', () => {
    it('uses PostgreSQL when a databaseUrl is given, migrated and sharing data with other handles', async () => {
      const parent = mkdtempSync(join(tmpdir(), 'augur-store-pg-'));
      try {
        const store = await openStore({ dataDir: join(parent, 'data'), databaseUrl: engine.url });
        try {
          expect(await store.ping()).toBe(true);
          const card = aCard();
          await store.recordCardsShown([card]);
          const seen = await engine.store.findCardHistory({ patientRef: card.patientRef });
          expect(seen.map((e) => e.cardUuid)).toEqual([card.cardUuid]);
        } finally {
          await store.close();
        }
        expect(existsSync(join(parent, 'data'))).toBe(false);
      } finally {
        rmSync(parent, { recursive: true, force: true });
      }
    });
  });
});
