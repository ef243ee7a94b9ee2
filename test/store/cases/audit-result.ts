import { describe, expect, it } from 'vitest';
import { aCard, aResult, anAudit } from '../builders.js';
import { count, type Engine } from '../engines.js';

export function auditAndResultCases(engine: Engine): void {
  describe('audit', () => {
    it('appends an event as columns, absent fields as NULL', async () => {
      const event = anAudit({
        type: 'fhir-query',
        action: 'R',
        fhirServer: 'https://fhir.example.org/r4',
        query: 'Observation?patient=123&code=http://loinc.org|2093-3&_sort=-date&_count=1',
      });
      await engine.store.appendAudit(event);
      await engine.store.appendAudit(anAudit({ type: 'auth-failure', outcome: '4', status: 401 }));
      const rows = await engine.db.query('SELECT * FROM audit_event WHERE request_id = $1', [
        event.requestId,
      ]);
      expect(rows).toEqual([
        {
          id: expect.anything() as unknown,
          recorded: event.recorded,
          type: 'fhir-query',
          action: 'R',
          outcome: '0',
          request_id: event.requestId,
          iss: event.iss,
          tenant: null,
          user_ref: null,
          patient_ref: event.patientRef,
          hook_instance: event.hookInstance,
          jti: event.jti,
          service_id: event.serviceId,
          models: event.models,
          fhir_server: event.fhirServer,
          query: event.query,
          status: 200,
        },
      ]);
    });

    it('refuses UPDATE, DELETE and TRUNCATE of audit events', async () => {
      const event = anAudit();
      await engine.store.appendAudit(event);
      const where = [event.requestId];
      await expect(
        engine.db.query('UPDATE audit_event SET status = 500 WHERE request_id = $1', where),
      ).rejects.toThrow(/append-only/);
      await expect(engine.db.query('DELETE FROM audit_event WHERE request_id = $1', where)).rejects.toThrow(
        /append-only/,
      );
      await expect(engine.db.query('TRUNCATE audit_event')).rejects.toThrow(/append-only/);
      expect(await count(engine, 'audit_event WHERE request_id = $1 AND status = 200', where)).toBe(1);
    });
  });

  describe('results', () => {
    it('returns a stored result until it expires, and nothing from then on', async () => {
      const result = aResult();
      await engine.store.putResult(result);
      const justBefore = new Date(result.expiresAt.getTime() - 1);
      expect(await engine.store.getResult(result.id, justBefore)).toEqual(result);
      expect(await engine.store.getResult(result.id, result.expiresAt)).toBeUndefined();
      expect(await engine.store.getResult(result.id, new Date('2030-01-01T00:00:00Z'))).toBeUndefined();
      expect(await engine.store.getResult('no-such-result', justBefore)).toBeUndefined();
    });

    it('round-trips any JSON payload and replaces a result put again under the same id', async () => {
      const result = aResult({ payload: 'a bare string' });
      await engine.store.putResult(result);
      expect((await engine.store.getResult(result.id, result.createdAt))?.payload).toBe('a bare string');
      const replaced = { ...result, payload: [1, { nested: null }] };
      await engine.store.putResult(replaced);
      expect(await engine.store.getResult(result.id, result.createdAt)).toEqual(replaced);
    });

    it('deletes results once they have expired, and only those', async () => {
      const expired = aResult({ expiresAt: new Date('2025-01-01T00:00:00Z') });
      const live = aResult({ expiresAt: new Date('2031-01-01T00:00:00Z') });
      await engine.store.putResult(expired);
      await engine.store.putResult(live);
      const now = new Date('2026-01-01T00:00:00Z');
      expect(await engine.store.deleteExpiredResults(now)).toBeGreaterThanOrEqual(1);
      expect(await count(engine, 'result WHERE id = $1', [expired.id])).toBe(0);
      expect(await engine.store.getResult(live.id, now)).toEqual(live);
      expect(await engine.store.deleteExpiredResults(now)).toBe(0);
    });

    it('records results with the cards shown, in one transaction: a failed card write keeps neither', async () => {
      const result = aResult();
      const card = aCard({ resultId: result.id, patientRef: result.patientRef });
      await engine.store.recordCardsShown([card], [result]);
      expect(await engine.store.getResult(result.id, result.createdAt)).toEqual(result);
      expect((await engine.store.findCardHistory({ patientRef: card.patientRef }))[0]?.resultId).toBe(
        result.id,
      );

      const orphan = aResult();
      const invalid = aCard({ patientRef: `Patient/${'x'.repeat(5_000)}` }); // too long for augur_ident
      await expect(engine.store.recordCardsShown([invalid], [orphan])).rejects.toThrow();
      expect(await engine.store.getResult(orphan.id, orphan.createdAt)).toBeUndefined();
    });
  });
}
