import { describe, expect, it } from 'vitest';
import { migrate } from '../../../src/store/migrations.js';
import { MIGRATIONS } from '../../../src/store/schema.js';
import { aCard } from '../builders.js';
import type { Engine } from '../engines.js';

export interface SetupOutcome {
  /** What each concurrent migrate() call applied during setup. */
  applied: number[][];
  openMs: number;
}

const ALL_VERSIONS = MIGRATIONS.map((m) => m.version);

/** Every column of the identifier tables: a new column (a body, a token) must be a deliberate change here. */
const EXPECTED_COLUMNS: Record<string, string[]> = {
  feedback: [
    'accepted_suggestions',
    'card_uuid',
    'id',
    'iss',
    'outcome',
    'outcome_timestamp',
    'override_reason_code',
    'override_reason_display',
    'override_reason_system',
    'received_at',
    'service_id',
    'tenant',
  ],
  card_shown: [
    'card_key',
    'card_uuid',
    'encounter_ref',
    'hook_instance',
    'iss',
    'models',
    'order_refs',
    'override_reasons',
    'patient_ref',
    'result_id',
    'service_id',
    'shown_at',
    'tenant',
  ],
  audit_event: [
    'action',
    'fhir_server',
    'hook_instance',
    'id',
    'iss',
    'jti',
    'models',
    'outcome',
    'patient_ref',
    'query',
    'recorded',
    'request_id',
    'service_id',
    'status',
    'tenant',
    'type',
    'user_ref',
  ],
  result: ['binned_at', 'created_at', 'expires_at', 'id', 'patient_ref', 'payload', 'service_id'],
  input_bins: ['bin', 'count', 'day', 'input', 'model_id', 'model_version'],
};

export function migrationCases(engine: Engine, setup: SetupOutcome): void {
  describe('migrations', () => {
    it('applies each migration exactly once when several handles migrate an empty database at once', () => {
      console.log(`${engine.name}: opened a fresh database in ${setup.openMs.toFixed(0)} ms`);
      const appliers = setup.applied.filter((a) => a.length > 0);
      expect(appliers).toEqual([ALL_VERSIONS]);
      expect(setup.applied.length).toBeGreaterThan(1);
    });

    it('is idempotent: migrating again applies nothing and records nothing', async () => {
      expect(await migrate(engine.db)).toEqual([]);
      await engine.store.migrate();
      const rows = await engine.db.query<{ version: number }>('SELECT version FROM schema_migrations');
      expect(rows.map((r) => r.version)).toEqual(ALL_VERSIONS);
    });

    it('rolls back a migration that fails part-way, leaving no table and no version behind', async () => {
      const broken = {
        version: 9999,
        name: 'broken',
        statements: ['CREATE TABLE half_done (id int)', 'SELECT nope'],
      };
      await expect(migrate(engine.db, [...MIGRATIONS, broken])).rejects.toThrow();
      const tables = await engine.db.query(
        "SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'half_done'",
      );
      expect(tables).toEqual([]);
      const versions = await engine.db.query('SELECT 1 FROM schema_migrations WHERE version = 9999');
      expect(versions).toEqual([]);
    });

    it('has identifier columns only; result.payload is the one JSON column', async () => {
      const rows = await engine.db.query<{ table_name: string; column_name: string; data_type: string }>(
        `SELECT table_name, column_name, data_type FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = ANY($1::text[])`,
        [Object.keys(EXPECTED_COLUMNS)],
      );
      for (const [table, columns] of Object.entries(EXPECTED_COLUMNS)) {
        const actual = rows.filter((r) => r.table_name === table).map((r) => r.column_name);
        expect(actual.sort(), table).toEqual(columns);
      }
      const blobs = rows.filter((r) => ['json', 'jsonb', 'bytea', 'xml'].includes(r.data_type));
      expect(blobs.map((r) => `${r.table_name}.${r.column_name}`)).toEqual(['result.payload']);
    });

    it('rejects an identifier long enough to be a body or a document', async () => {
      const card = aCard({ patientRef: `Patient/${'x'.repeat(5_000)}` });
      await expect(engine.store.recordCardsShown([card])).rejects.toThrow(/augur_ident/);
    });
  });
}
