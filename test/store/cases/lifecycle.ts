import { describe, expect, it } from 'vitest';
import { aCard, aFeedback, aResult, anAudit } from '../builders.js';
import { count, type Engine } from '../engines.js';

export function lifecycleCases(engine: Engine): void {
  describe('lifecycle', () => {
    it('answers ping while open', async () => {
      expect(await engine.store.ping()).toBe(true);
    });

    it('keeps every acknowledged write across a restart, and the closed store no longer pings', async () => {
      const card = aCard();
      const fb = aFeedback({ cardUuid: card.cardUuid });
      const event = anAudit();
      const result = aResult();
      await engine.store.recordCardsShown([card]);
      await engine.store.recordFeedback(fb);
      await engine.store.appendAudit(event);
      await engine.store.putResult(result);
      const before = engine.store;

      await engine.restart();

      expect(await before.ping()).toBe(false);
      expect(await engine.store.ping()).toBe(true);
      const [entry] = await engine.store.findCardHistory({ patientRef: card.patientRef });
      expect(entry?.cardUuid).toBe(card.cardUuid);
      expect(entry?.feedback).toHaveLength(1);
      expect(await engine.store.recordFeedback(fb)).toEqual({ inserted: false });
      expect(await count(engine, 'audit_event WHERE request_id = $1', [event.requestId])).toBe(1);
      expect(await engine.store.getResult(result.id, result.createdAt)).toEqual(result);
    });
  });
}
