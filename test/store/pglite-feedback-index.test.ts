/**
 * The embedded store as `openStore` builds it (src/store/feedback-index.ts: patients with feedback kept in
 * memory): every shared store case, plus the cases where the index could go wrong — feedback that
 * arrives before its card, feedback from before a restart, a card and its feedback racing.
 */
import { describe, expect, it } from 'vitest';
import { pgliteStore } from '../../src/store/pglite.js';
import type { Store } from '../../src/store/types.js';
import { aCard, aFeedback, aPatientRef } from './builders.js';
import { pgliteEngine } from './engines.js';
import { storeSuite } from './suite.js';

const engine = pgliteEngine(pgliteStore);

const suppressing = (store: Store, patientRef: string): Promise<string[]> =>
  store.findCardHistory({ patientRef, withFeedback: true }).then((entries) => entries.map((e) => e.cardUuid));

storeSuite(engine, () => {
  describe('feedback index (embedded store)', () => {
    it('a patient without feedback reads no rows; feedback makes their card count at once', async () => {
      const card = aCard();
      await engine.store.recordCardsShown([card]);
      expect(await suppressing(engine.store, card.patientRef)).toEqual([]);
      await engine.store.recordFeedback(aFeedback({ cardUuid: card.cardUuid, outcome: 'overridden' }));
      expect(await suppressing(engine.store, card.patientRef)).toEqual([card.cardUuid]);
    });

    it('feedback recorded before its card: the card counts once it is recorded', async () => {
      const card = aCard();
      expect(await suppressing(engine.store, card.patientRef)).toEqual([]);
      await engine.store.recordFeedback(aFeedback({ cardUuid: card.cardUuid }));
      await engine.store.recordCardsShown([card]);
      expect(await suppressing(engine.store, card.patientRef)).toEqual([card.cardUuid]);
    });

    it('a card and its feedback written concurrently: the card counts once both are acknowledged', async () => {
      const cards = Array.from({ length: 20 }, () => aCard());
      await Promise.all(
        cards.flatMap((card) => [
          engine.store.recordCardsShown([card]),
          engine.store.recordFeedback(aFeedback({ cardUuid: card.cardUuid })),
        ]),
      );
      for (const card of cards)
        expect(await suppressing(engine.store, card.patientRef)).toEqual([card.cardUuid]);
    });

    it('after a restart, feedback given before it still counts (also feedback still waiting for its card)', async () => {
      const card = aCard();
      const early = aCard();
      await engine.store.recordCardsShown([card]);
      await engine.store.recordFeedback(aFeedback({ cardUuid: card.cardUuid }));
      await engine.store.recordFeedback(aFeedback({ cardUuid: early.cardUuid }));
      await engine.restart();
      expect(await suppressing(engine.store, card.patientRef)).toEqual([card.cardUuid]);
      await engine.store.recordCardsShown([early]);
      expect(await suppressing(engine.store, early.patientRef)).toEqual([early.cardUuid]);
    });

    it('a reset patient reads from the database again and sees nothing', async () => {
      const patientRef = aPatientRef();
      const card = aCard({ patientRef });
      await engine.store.recordCardsShown([card]);
      await engine.store.recordFeedback(aFeedback({ cardUuid: card.cardUuid }));
      await engine.store.resetCardHistory({ patientRef });
      expect(await suppressing(engine.store, patientRef)).toEqual([]);
    });
  });
});
