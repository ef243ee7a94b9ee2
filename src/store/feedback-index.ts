/**
 * For the embedded store only (one process owns a PGlite directory): which patients have any card with
 * feedback, kept in memory, so the suppression read of a hook call (card history with feedback, once per
 * call) is answered without a query for the many patients who never had feedback. Patients who did are
 * still read from the database, so nothing about them can be stale.
 *
 * The set is a superset of the truth, never a subset: a patient is added before (or, for feedback that
 * arrived before its card, when) the write that gives them feedback is acknowledged, and never removed
 * (a reset leaves them in it; that costs a query, not a wrong answer). Not for PostgreSQL: there other
 * processes write, and this process would not see their feedback.
 */
import type { Queryable } from './sql-db.js';
import type { CallWrites, Store } from './types.js';

const PATIENTS_WITH_FEEDBACK = `SELECT DISTINCT c.patient_ref FROM card_shown c
JOIN feedback f ON f.card_uuid = c.card_uuid AND f.service_id = c.service_id`;

/** Feedback whose card was never recorded (the store accepts it; the feedback route refuses it). */
const ORPHAN_FEEDBACK = `SELECT DISTINCT f.card_uuid FROM feedback f
WHERE NOT EXISTS (SELECT 1 FROM card_shown c WHERE c.card_uuid = f.card_uuid)`;

export function withFeedbackIndex(store: Store, db: Queryable): Store {
  /** Patients with feedback: what the database held when first read, plus every write through here. */
  const patients = new Set<string>();
  /** Card uuids with feedback but (when it was recorded) no card: their card's patient joins on arrival. */
  const orphans = new Set<string>();
  /** The first suppression read loads the index (after migration); until it has, reads go to the db. */
  let loading: Promise<boolean> | undefined;

  const load = async (): Promise<boolean> => {
    try {
      const [found, orphaned] = await Promise.all([
        db.query<{ patient_ref: string }>(PATIENTS_WITH_FEEDBACK),
        db.query<{ card_uuid: string }>(ORPHAN_FEEDBACK),
      ]);
      for (const r of found) patients.add(r.patient_ref);
      for (const r of orphaned) orphans.add(r.card_uuid);
      return true;
    } catch {
      loading = undefined; // not migrated yet, say: try again on the next read
      return false;
    }
  };

  const adopt = (records: readonly { cardUuid: string; patientRef: string }[]): void => {
    for (const r of records) {
      if (!orphans.has(r.cardUuid)) continue;
      patients.add(r.patientRef);
      orphans.delete(r.cardUuid);
    }
  };

  const recordCall = async (writes: CallWrites): Promise<void> => {
    const cards = writes.cards ?? [];
    adopt(cards);
    await store.recordCall(writes);
    adopt(cards); // feedback recorded while these cards were being committed
  };

  return {
    ...store,
    recordFeedback: async (record) => {
      // Orphan first, then look for the card: a card committed in between is seen by one of the two.
      orphans.add(record.cardUuid);
      const card = await store.findCardShown(record.cardUuid);
      if (card !== undefined) adopt([card]);
      return store.recordFeedback(record);
    },
    recordCardsShown: (records, results = []) => recordCall({ cards: records, results }),
    recordCall,
    findCardHistory: async (query) => {
      if (query.withFeedback === true && (await (loading ??= load())) && !patients.has(query.patientRef)) {
        return [];
      }
      return store.findCardHistory(query);
    },
  };
}
