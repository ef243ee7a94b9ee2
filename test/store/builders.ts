import { randomUUID } from 'node:crypto';
import type { AuditRecord, CardShownRecord, FeedbackRecord, StoredResult } from '../../src/store/types.js';

/** A patient reference no other test uses, so tests can share one database. */
export function aPatientRef(): string {
  return `Patient/${randomUUID()}`;
}

export function aCard(overrides: Partial<CardShownRecord> = {}): CardShownRecord {
  return {
    cardUuid: randomUUID(),
    serviceId: 'ascvd-risk',
    hookInstance: randomUUID(),
    patientRef: aPatientRef(),
    cardKey: 'ascvd-risk:band=intermediate',
    orderRefs: [],
    models: ['pce-ascvd@2013.1'],
    shownAt: new Date('2025-03-01T10:00:00.000Z'),
    iss: 'https://ehr.example.org',
    ...overrides,
  };
}

export function aFeedback(overrides: Partial<FeedbackRecord> = {}): FeedbackRecord {
  return {
    serviceId: 'ascvd-risk',
    cardUuid: randomUUID(),
    outcome: 'accepted',
    acceptedSuggestions: ['start-statin'],
    outcomeTimestamp: new Date('2025-03-01T10:01:00.000Z'),
    iss: 'https://ehr.example.org',
    ...overrides,
  };
}

export function anAudit(overrides: Partial<AuditRecord> = {}): AuditRecord {
  return {
    type: 'hook-call',
    action: 'E',
    outcome: '0',
    recorded: new Date('2025-03-01T10:00:00.000Z'),
    requestId: randomUUID(),
    iss: 'https://ehr.example.org',
    patientRef: aPatientRef(),
    hookInstance: randomUUID(),
    jti: randomUUID(),
    serviceId: 'ascvd-risk',
    models: ['pce-ascvd@2013.1'],
    status: 200,
    ...overrides,
  };
}

export function aResult(overrides: Partial<StoredResult> = {}): StoredResult {
  return {
    id: randomUUID(),
    patientRef: aPatientRef(),
    serviceId: 'ascvd-risk',
    payload: { risk: 0.123, band: 'intermediate', inputs: [{ name: 'age', value: 55 }] },
    createdAt: new Date('2025-03-01T10:00:00.000Z'),
    expiresAt: new Date('2025-03-01T11:00:00.000Z'),
    ...overrides,
  };
}
