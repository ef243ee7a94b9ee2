/**
 * Group commit (src/store/group-commit.ts) on a real engine: concurrent calls share transactions, a call
 * is acknowledged only after its transaction commits, a failed group fails every call in it and leaves
 * none of their rows, and everything acknowledged is still there after a restart.
 */
import { describe, expect, it } from 'vitest';
import type { SqlDb } from '../../../src/store/sql-db.js';
import { createSqlStore } from '../../../src/store/sql-store.js';
import { aCard, aResult, anAudit } from '../builders.js';
import { count, type Engine } from '../engines.js';

/** The engine's handle, counting transactions (the store under test must not close it). */
function counting(db: SqlDb): { db: SqlDb; transactions: () => number } {
  let n = 0;
  return {
    db: {
      query: (sql, params) => db.query(sql, params),
      transaction: (fn) => {
        n++;
        return db.transaction(fn);
      },
      close: () => Promise.resolve(),
    },
    transactions: () => n,
  };
}

export function groupCommitCases(engine: Engine): void {
  describe('group commit', () => {
    it('commits 60 concurrent calls (card + result + audit each) in far fewer transactions, all acknowledged rows present', async () => {
      const c = counting(engine.db);
      const store = createSqlStore(c.db);
      const calls = Array.from({ length: 60 }, () => {
        const result = aResult();
        const card = aCard({ resultId: result.id });
        const audit = anAudit({ patientRef: card.patientRef });
        return { card, result, audit };
      });
      await Promise.all(
        calls.flatMap(({ card, result, audit }) => [
          store.recordCardsShown([card], [result]),
          store.appendAudit(audit),
        ]),
      );
      expect(c.transactions()).toBeLessThan(10);
      for (const { card, result, audit } of calls) {
        expect(await count(engine, 'card_shown WHERE card_uuid = $1', [card.cardUuid])).toBe(1);
        expect(await count(engine, 'result WHERE id = $1', [result.id])).toBe(1);
        expect(await count(engine, 'audit_event WHERE request_id = $1', [audit.requestId])).toBe(1);
      }
    });

    it('a failed group commit fails every call in it and keeps none of their rows; other groups are unaffected', async () => {
      const store = createSqlStore(counting(engine.db).db);
      const first = aCard();
      // The first write starts a transaction alone; the next three, queued while it runs, form one group.
      const alone = store.recordCardsShown([first]);
      const good = aCard();
      const goodAudit = anAudit();
      const outcomes = await Promise.allSettled([
        store.recordCardsShown([good]),
        // Violates the table's CHECK (status BETWEEN 100 AND 599): a real database error.
        store.appendAudit(anAudit({ status: 999 })),
        store.appendAudit(goodAudit),
      ]);
      await alone;
      expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
      expect(await count(engine, 'card_shown WHERE card_uuid = $1', [first.cardUuid])).toBe(1);
      expect(await count(engine, 'card_shown WHERE card_uuid = $1', [good.cardUuid])).toBe(0);
      expect(await count(engine, 'audit_event WHERE request_id = $1', [goodAudit.requestId])).toBe(0);
      // The committer carries on: the next call commits.
      const after = aCard();
      await store.recordCardsShown([after]);
      expect(await count(engine, 'card_shown WHERE card_uuid = $1', [after.cardUuid])).toBe(1);
    });

    it('one group writes each table with one statement; a repeated card uuid keeps the first, a repeated result id the last', async () => {
      const c = counting(engine.db);
      let statements = 0;
      const store = createSqlStore({
        ...c.db,
        transaction: (fn) =>
          c.db.transaction((tx) =>
            fn({
              query: (sql, params) => {
                statements++;
                return tx.query(sql, params);
              },
            }),
          ),
      });
      const alone = store.recordCardsShown([aCard()]); // starts the first transaction alone
      const first = aCard();
      const again = { ...first, cardKey: 'ascvd-risk:band=high' };
      const early = aResult();
      const late = { ...early, payload: { risk: 0.2 } };
      await Promise.all([
        store.recordCardsShown([first], [early]),
        store.recordCardsShown([again], [late]),
        store.appendAudit(anAudit()),
        store.appendAudit(anAudit()),
      ]);
      await alone;
      expect(c.transactions()).toBe(2);
      expect(statements).toBe(1 + 3); // the lone card; then results, cards, audit: one statement each
      const [card] = await engine.store.findCardHistory({ patientRef: first.patientRef });
      expect(card?.cardKey).toBe(first.cardKey);
      expect((await engine.store.getResult(early.id, early.createdAt))?.payload).toEqual({ risk: 0.2 });
    });

    it('loses nothing acknowledged across a restart (close drains the queue first)', async () => {
      const cards = Array.from({ length: 40 }, () => aCard());
      const acknowledged: string[] = [];
      await Promise.all(
        cards.map(async (card) => {
          await engine.store.recordCardsShown([card]);
          acknowledged.push(card.cardUuid);
        }),
      );
      await engine.restart();
      for (const uuid of acknowledged) {
        expect(await count(engine, 'card_shown WHERE card_uuid = $1', [uuid])).toBe(1);
      }
      expect(acknowledged).toHaveLength(40);
    });
  });
}
