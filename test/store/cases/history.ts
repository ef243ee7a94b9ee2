import { beforeAll, describe, expect, it } from 'vitest';
import { aCard, aFeedback, aPatientRef } from '../builders.js';
import type { Engine } from '../engines.js';

const at = (iso: string): Date => new Date(`2025-03-0${iso}Z`);

export function historyCases(engine: Engine): void {
  describe('card history', () => {
    const patientRef = aPatientRef();
    const older = aCard({ patientRef, shownAt: at('1T08:00:00.000'), orderRefs: ['MedicationRequest/1'] });
    const newer = aCard({
      patientRef,
      shownAt: at('2T08:00:00.000'),
      cardKey: 'ascvd-risk:band=high',
      orderRefs: ['MedicationRequest/1', 'MedicationRequest/2'],
      resultId: 'result-1',
      tenant: 'clinic-a',
    });
    const otherService = aCard({ patientRef, serviceId: 'warfarin-dose', shownAt: at('3T08:00:00.000') });
    const otherPatient = aCard({ shownAt: at('4T08:00:00.000') });
    const uuids = (entries: { cardUuid: string }[]): string[] => entries.map((e) => e.cardUuid);

    beforeAll(() => engine.store.recordCardsShown([older, newer, otherService, otherPatient]));

    it('returns the patient’s cards newest first, as recorded, and stores a repeated card once', async () => {
      await engine.store.recordCardsShown([{ ...older, hookInstance: 'retried' }]);
      await engine.store.recordCardsShown([]);
      const history = await engine.store.findCardHistory({ patientRef });
      expect(uuids(history)).toEqual([otherService.cardUuid, newer.cardUuid, older.cardUuid]);
      expect(history[1]).toEqual({ ...newer, feedback: [] });
      expect(history[2]).toEqual({ ...older, feedback: [] });
      expect(history[2]).not.toHaveProperty('tenant');
    });

    it('filters by service, card key, order reference, since (inclusive) and tenant', async () => {
      const find = async (q: object): Promise<string[]> =>
        uuids(await engine.store.findCardHistory({ patientRef, ...q }));
      expect(await find({ serviceId: 'ascvd-risk' })).toEqual([newer.cardUuid, older.cardUuid]);
      expect(await find({ serviceId: 'ascvd-risk', cardKey: 'ascvd-risk:band=high' })).toEqual([
        newer.cardUuid,
      ]);
      expect(await find({ orderRef: 'MedicationRequest/2' })).toEqual([newer.cardUuid]);
      expect(await find({ orderRef: 'MedicationRequest/1' })).toEqual([newer.cardUuid, older.cardUuid]);
      expect(await find({ orderRef: 'MedicationRequest/9' })).toEqual([]);
      expect(await find({ since: newer.shownAt })).toEqual([otherService.cardUuid, newer.cardUuid]);
      expect(await find({ tenant: 'clinic-a' })).toEqual([newer.cardUuid]);
      expect(
        await find({ serviceId: 'ascvd-risk', orderRef: 'MedicationRequest/1', since: at('2T00:00:00.000') }),
      ).toEqual([newer.cardUuid]);
    });

    it('joins the feedback given on each card, oldest feedback first', async () => {
      const card = aCard();
      await engine.store.recordCardsShown([card]);
      const accepted = aFeedback({ cardUuid: card.cardUuid, outcomeTimestamp: at('1T10:05:00.000') });
      const overridden = aFeedback({
        cardUuid: card.cardUuid,
        outcome: 'overridden',
        acceptedSuggestions: [],
        outcomeTimestamp: at('1T10:09:00.000'),
      });
      // Another service cannot attach feedback to this card by naming its uuid.
      const foreign = aFeedback({ cardUuid: card.cardUuid, serviceId: 'warfarin-dose' });
      for (const fb of [overridden, accepted, foreign]) await engine.store.recordFeedback(fb);
      const [entry] = await engine.store.findCardHistory({ patientRef: card.patientRef });
      expect(entry?.feedback).toEqual([
        {
          outcome: 'accepted',
          acceptedSuggestions: ['start-statin'],
          outcomeTimestamp: accepted.outcomeTimestamp,
        },
        { outcome: 'overridden', acceptedSuggestions: [], outcomeTimestamp: overridden.outcomeTimestamp },
      ]);
    });

    it('withFeedback: only the cards that received feedback, with it', async () => {
      const patient = aPatientRef();
      const quiet = aCard({ patientRef: patient });
      const answered = aCard({ patientRef: patient });
      await engine.store.recordCardsShown([quiet, answered]);
      await engine.store.recordFeedback(aFeedback({ cardUuid: answered.cardUuid, outcome: 'overridden' }));
      const all = await engine.store.findCardHistory({ patientRef: patient });
      expect(uuids(all).sort()).toEqual([quiet.cardUuid, answered.cardUuid].sort());
      const withFeedback = await engine.store.findCardHistory({ patientRef: patient, withFeedback: true });
      expect(uuids(withFeedback)).toEqual([answered.cardUuid]);
      expect(withFeedback[0]?.feedback).toHaveLength(1);
    });

    it('exposes feedback with its hookInstance and model versions in the feedback_analytics view', async () => {
      const card = aCard({ models: ['pce-ascvd@2013.1', 'prevent@2023.2'] });
      await engine.store.recordCardsShown([card]);
      await engine.store.recordFeedback(aFeedback({ cardUuid: card.cardUuid, outcome: 'overridden' }));
      const orphan = aFeedback();
      await engine.store.recordFeedback(orphan);
      const rows = await engine.db.query(
        'SELECT card_uuid, outcome, hook_instance, models FROM feedback_analytics WHERE card_uuid = ANY($1::text[])',
        [[card.cardUuid, orphan.cardUuid]],
      );
      expect(rows).toHaveLength(2);
      expect(rows).toContainEqual({
        card_uuid: card.cardUuid,
        outcome: 'overridden',
        hook_instance: card.hookInstance,
        models: card.models,
      });
      expect(rows).toContainEqual({
        card_uuid: orphan.cardUuid,
        outcome: 'accepted',
        hook_instance: null,
        models: null,
      });
    });
  });
}
