/**
 * Alert fatigue: a card the clinician overrode is not shown again for the same patient while its key
 * (which carries the result band) is unchanged, for a configurable period; a card whose suggestion was
 * accepted is not repeated. Both decided from the stored card history joined with its feedback.
 */
import { cardsSuppressed } from '../monitoring/metrics.js';
import type { CardHistoryEntry, Store } from '../store/types.js';

export interface SuppressionPolicy {
  /** Days an override silences the same card key for the same patient (0 = never silenced). */
  overrideDays: number;
}

export type Verdict =
  | { suppressed: false }
  | {
      suppressed: true;
      why: 'overridden' | 'accepted';
      /** When the feedback was given. */
      at: Date;
      /** The uuid of the earlier card the feedback was given on. */
      cardUuid: string;
      /** When the silence ends (an override); absent for an accepted suggestion (silent for good). */
      until?: Date;
    };

const DAY_MS = 86_400_000;

/** Whether `cardKey` is silenced, given the card history for this patient and service. */
export function verdictFor(
  history: readonly CardHistoryEntry[],
  cardKey: string,
  now: Date,
  policy: SuppressionPolicy,
  orderRef?: string,
): Verdict {
  const since = now.getTime() - policy.overrideDays * DAY_MS;
  for (const entry of history) {
    if (entry.cardKey !== cardKey) continue;
    if (orderRef !== undefined && !entry.orderRefs.includes(orderRef)) continue;
    for (const f of entry.feedback) {
      if (f.outcome === 'accepted' && f.acceptedSuggestions.length > 0)
        return { suppressed: true, why: 'accepted', at: f.outcomeTimestamp, cardUuid: entry.cardUuid };
      if (f.outcome === 'overridden' && f.outcomeTimestamp.getTime() >= since && policy.overrideDays > 0)
        return {
          suppressed: true,
          why: 'overridden',
          at: f.outcomeTimestamp,
          cardUuid: entry.cardUuid,
          until: new Date(f.outcomeTimestamp.getTime() + policy.overrideDays * DAY_MS),
        };
    }
  }
  return { suppressed: false };
}

/** Loads the patient's history for one service once; returns a verdict function over card keys. */
export async function suppressionFor(
  store: Store,
  query: { patientRef: string; serviceId: string; tenant?: string },
  now: Date,
  policy: SuppressionPolicy,
): Promise<(cardKey: string, orderRef?: string) => Verdict> {
  const history = await store.findCardHistory({ ...query, withFeedback: true });
  return (cardKey, orderRef) => {
    const verdict = verdictFor(history, cardKey, now, policy, orderRef);
    if (verdict.suppressed) cardsSuppressed.inc({ service: query.serviceId, reason: verdict.why });
    return verdict;
  };
}
