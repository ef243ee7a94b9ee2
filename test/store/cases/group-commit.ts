/**
 * Group commit (src/store/group-commit.ts) on a real engine: concurrent calls share one atomic write (one
 * statement, or a transaction when one statement cannot hold the group), a call is acknowledged only
 * after that write committed, a failed group fails every call in it and leaves
 * none of their rows, and everything acknowledged is still there after a restart.
 */
import { describe, expect, it } from 'vitest';
import type { SqlDb } from '../../../src/store/sql-db.js';
import { createSqlStore } from '../../../src/store/sql-store.js';
import { aCard, aResult, anAudit } from '../builders.js';
import { count, type Engine } from '../engines.js';

/**
 * The engine's handle, counting atomic writes — a statement on its own or a transaction — and every
 * statement, with the SQL of each (the store under test must not close it).
 */
function counting(db: SqlDb): {
  db: SqlDb;
  transactions: () => number;
  writes: () => number;
  statements: string[];
} {
  let transactions = 0;
  let alone = 0;
  const statements: string[] = [];
  return {
    db: {
      query: (sql, params) => {
        alone++;
        statements.push(sql);
        return db.query(sql, params);
      },
      transaction: (fn) => {
        transactions++;
        return db.transaction((tx) =>
          fn({
            query: (sql, params) => {
              statements.push(sql);
              return tx.query(sql, params);
            },
          }),
        );
      },
      close: () => Promise.resolve(),
    },
    transactions: () => transactions,
    writes: () => transactions + alone,
    statements,
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
      expect(c.writes()).toBeLessThan(10);
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

    it('one group is one statement (each table a WITH clause), no transaction; a repeated card uuid keeps the first, a repeated result id the last', async () => {
      const c = counting(engine.db);
      const store = createSqlStore(c.db);
      const alone = store.recordCardsShown([aCard()]); // starts the first group alone
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
      expect(c.transactions()).toBe(0);
      expect(c.statements).toHaveLength(2); // the lone card; then results, cards and audit together
      const group = c.statements[1] ?? '';
      expect(group).toMatch(
        /^WITH w0 AS \(INSERT INTO result .*\), w1 AS \(INSERT INTO card_shown .*\) INSERT INTO audit_event/s,
      );
      const [card] = await engine.store.findCardHistory({ patientRef: first.patientRef });
      expect(card?.cardKey).toBe(first.cardKey);
      expect((await engine.store.getResult(early.id, early.createdAt))?.payload).toEqual({ risk: 0.2 });
    });

    it('a group too large for one statement is written table by table in one transaction, all or nothing', async () => {
      const c = counting(engine.db);
      const store = createSqlStore(c.db);
      // 2,400 cards × 13 columns = 31,200 parameters: over the 30,000 one statement may carry.
      const patientRef = `Patient/many-${String(Date.now())}`;
      const cards = Array.from({ length: 2400 }, () => aCard({ patientRef }));
      const result = aResult({ patientRef });
      await store.recordCardsShown(cards, [result]);
      expect(c.transactions()).toBe(1);
      expect(c.statements.map((sql) => /^INSERT INTO (\w+)/.exec(sql)?.[1])).toEqual([
        'result',
        'card_shown',
        'card_shown',
      ]);
      expect(await count(engine, 'card_shown WHERE patient_ref = $1', [patientRef])).toBe(2400);
      // All or nothing: a bad row among many keeps none of them.
      const badRef = `Patient/bad-${String(Date.now())}`;
      const bad = [
        ...Array.from({ length: 2399 }, () => aCard({ patientRef: badRef })),
        aCard({ patientRef: '' }),
      ];
      await expect(store.recordCardsShown(bad)).rejects.toThrow();
      expect(await count(engine, 'card_shown WHERE patient_ref = $1', [badRef])).toBe(0);
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
