import { describe, expect, it } from 'vitest';
import { aCard, aFeedback, aPatientRef } from '../builders.js';
import { count, type Engine } from '../engines.js';

/** One card as shown, looked up by uuid; a tester's reset of one patient's card history. */
export function resetCases(engine: Engine): void {
  describe('card lookup and history reset', () => {
    it('finds a card by uuid with its encounter and offered override reasons', async () => {
      const card = aCard({
        encounterRef: 'Encounter/e1',
        overrideReasons: [
          { system: 'urn:augur:override-reason', code: 'not-relevant-now' },
          { code: 'bare' },
        ],
      });
      await engine.store.recordCardsShown([card]);
      expect(await engine.store.findCardShown(card.cardUuid)).toEqual(card);
      expect(await engine.store.findCardShown('never-issued')).toBeUndefined();
      const history = await engine.store.findCardHistory({
        patientRef: card.patientRef,
        encounterRef: 'Encounter/e1',
      });
      expect(history.map((h) => h.cardUuid)).toEqual([card.cardUuid]);
      expect(
        await engine.store.findCardHistory({ patientRef: card.patientRef, encounterRef: 'Encounter/e2' }),
      ).toEqual([]);
    });

    it('deletes one patient’s cards and their feedback — per service when asked — and nobody else’s', async () => {
      const patientRef = aPatientRef();
      const a = aCard({ patientRef, serviceId: 'svc-a' });
      const b = aCard({ patientRef, serviceId: 'svc-b' });
      const other = aCard({ serviceId: 'svc-a' });
      await engine.store.recordCardsShown([a, b, other]);
      for (const c of [a, b, other])
        await engine.store.recordFeedback(aFeedback({ cardUuid: c.cardUuid, serviceId: c.serviceId }));

      expect(await engine.store.resetCardHistory({ patientRef, serviceId: 'svc-a' })).toEqual({
        cards: 1,
        feedback: 1,
      });
      expect(await engine.store.findCardShown(a.cardUuid)).toBeUndefined();
      expect(await engine.store.findCardShown(b.cardUuid)).toBeDefined();
      expect(await engine.store.resetCardHistory({ patientRef })).toEqual({ cards: 1, feedback: 1 });
      expect(await engine.store.resetCardHistory({ patientRef })).toEqual({ cards: 0, feedback: 0 });
      expect(await engine.store.findCardShown(other.cardUuid)).toBeDefined();
      expect(await count(engine, 'feedback WHERE card_uuid = $1', [other.cardUuid])).toBe(1);
    });
  });
}
