import { describe, expect, it } from 'vitest';
import { verdictFor } from '../../src/cards/suppression.js';
import type { CardHistoryEntry } from '../../src/store/types.js';

const NOW = new Date('2026-06-01T12:00:00Z');
const daysAgo = (d: number): Date => new Date(NOW.getTime() - d * 86_400_000);
const policy = { overrideDays: 30 };

function shown(
  cardKey: string,
  feedback: CardHistoryEntry['feedback'] = [],
  orderRefs: string[] = [],
): CardHistoryEntry {
  return {
    cardUuid: 'u',
    serviceId: 's',
    hookInstance: 'h',
    patientRef: 'Patient/p1',
    cardKey,
    orderRefs,
    models: [],
    shownAt: daysAgo(40),
    iss: 'https://ehr.test',
    feedback,
  };
}
const overridden = (days: number) => ({
  outcome: 'overridden' as const,
  acceptedSuggestions: [],
  outcomeTimestamp: daysAgo(days),
});
const accepted = (days: number) => ({
  outcome: 'accepted' as const,
  acceptedSuggestions: ['s1'],
  outcomeTimestamp: daysAgo(days),
});

describe('suppression (alert fatigue from card history + feedback)', () => {
  it('an override silences the same key for the configured period, and only that key', () => {
    const history = [shown('cv:pce=intermediate', [overridden(29)])];
    expect(verdictFor(history, 'cv:pce=intermediate', NOW, policy)).toMatchObject({
      suppressed: true,
      why: 'overridden',
    });
    // The band changed: the key differs, the card returns.
    expect(verdictFor(history, 'cv:pce=high', NOW, policy)).toEqual({ suppressed: false });
  });

  it('the override expires after the period', () => {
    expect(verdictFor([shown('k', [overridden(31)])], 'k', NOW, policy)).toEqual({ suppressed: false });
    expect(verdictFor([shown('k', [overridden(30)])], 'k', NOW, policy)).toMatchObject({ suppressed: true });
  });

  it('a period of 0 days never silences on override', () => {
    expect(verdictFor([shown('k', [overridden(0)])], 'k', NOW, { overrideDays: 0 })).toEqual({
      suppressed: false,
    });
  });

  it('an accepted suggestion is not repeated, however long ago', () => {
    expect(verdictFor([shown('k', [accepted(400)])], 'k', NOW, policy)).toMatchObject({
      suppressed: true,
      why: 'accepted',
    });
  });

  it('"accepted" with no suggestion taken (acknowledged) does not silence the card', () => {
    const ack = { outcome: 'accepted' as const, acceptedSuggestions: [], outcomeTimestamp: daysAgo(1) };
    expect(verdictFor([shown('k', [ack])], 'k', NOW, policy)).toEqual({ suppressed: false });
  });

  it('a card shown without feedback does not silence anything', () => {
    expect(verdictFor([shown('k')], 'k', NOW, policy)).toEqual({ suppressed: false });
  });

  it('with an order reference, only history about that order counts', () => {
    const history = [shown('pgx:clopidogrel', [overridden(1)], ['MedicationRequest/a'])];
    expect(verdictFor(history, 'pgx:clopidogrel', NOW, policy, 'MedicationRequest/a')).toMatchObject({
      suppressed: true,
    });
    expect(verdictFor(history, 'pgx:clopidogrel', NOW, policy, 'MedicationRequest/b')).toEqual({
      suppressed: false,
    });
  });
});
