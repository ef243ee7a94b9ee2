import { describe, expect, it } from 'vitest';
import { aFeedback } from '../builders.js';
import { count, type Engine } from '../engines.js';

export function feedbackCases(engine: Engine): void {
  const rowsFor = (cardUuid: string): Promise<number> =>
    count(engine, 'feedback WHERE card_uuid = $1', [cardUuid]);

  describe('feedback', () => {
    it('stores the same feedback sent twice once, and says the second was not new', async () => {
      const fb = aFeedback();
      expect(await engine.store.recordFeedback(fb)).toEqual({ inserted: true });
      expect(
        await engine.store.recordFeedback({ ...fb, outcomeTimestamp: new Date(fb.outcomeTimestamp) }),
      ).toEqual({
        inserted: false,
      });
      expect(await rowsFor(fb.cardUuid)).toBe(1);
    });

    it('stores 50 identical feedbacks sent in parallel once', async () => {
      const fb = aFeedback();
      const results = await Promise.all(Array.from({ length: 50 }, () => engine.store.recordFeedback(fb)));
      expect(results.filter((r) => r.inserted)).toHaveLength(1);
      expect(await rowsFor(fb.cardUuid)).toBe(1);
    });

    it('stores a different outcome for the same card as a second row', async () => {
      const accepted = aFeedback();
      const overridden = aFeedback({
        cardUuid: accepted.cardUuid,
        outcome: 'overridden',
        acceptedSuggestions: [],
        overrideReason: { system: 'https://augur.example/override', code: 'not-indicated' },
      });
      expect(await engine.store.recordFeedback(accepted)).toEqual({ inserted: true });
      expect(await engine.store.recordFeedback(overridden)).toEqual({ inserted: true });
      expect(await rowsFor(accepted.cardUuid)).toBe(2);
    });

    it('treats accepted suggestions as a set: order and repeats do not make new feedback', async () => {
      const fb = aFeedback({ acceptedSuggestions: ['b', 'a'] });
      await engine.store.recordFeedback(fb);
      const again = await engine.store.recordFeedback({ ...fb, acceptedSuggestions: ['a', 'b', 'a'] });
      expect(again).toEqual({ inserted: false });
      const other = await engine.store.recordFeedback({ ...fb, acceptedSuggestions: ['a'] });
      expect(other).toEqual({ inserted: true });
    });

    it('keeps the override reason coding but not the free-text comment', async () => {
      const fb = aFeedback({
        outcome: 'overridden',
        acceptedSuggestions: [],
        overrideReason: {
          system: 'https://augur.example/override',
          code: 'patient-declined',
          userComment: 'CANARY',
        },
      });
      await engine.store.recordFeedback(fb);
      const rows = await engine.db.query('SELECT * FROM feedback WHERE card_uuid = $1', [fb.cardUuid]);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ override_reason_code: 'patient-declined', tenant: null });
      expect(JSON.stringify(rows)).not.toContain('CANARY');
    });
  });
}
