import { groupCommitter } from './group-commit.js';
import { migrate } from './migrations.js';
import {
  canonicalSuggestions,
  encodeReason,
  toCardShown,
  toHistoryEntry,
  toStoredResult,
  toAuditRecord,
  type AuditRow,
  type CardRow,
  type ResultRow,
} from './rows.js';
import type { Queryable, SqlDb } from './sql-db.js';
import type {
  AuditQuery,
  AuditRecord,
  CallWrites,
  CardHistoryQuery,
  CardHistoryReset,
  CardShownRecord,
  FeedbackRecord,
  InputBinCount,
  ResultBinner,
  Store,
  StoredResult,
} from './types.js';

const INSERT_FEEDBACK = `INSERT INTO feedback (service_id, card_uuid, outcome, accepted_suggestions,
  override_reason_system, override_reason_code, override_reason_display, outcome_timestamp, iss, tenant)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
ON CONFLICT ON CONSTRAINT feedback_once DO NOTHING
RETURNING id`;

/**
 * A multi-row INSERT: `head` names the table and columns, each row is one VALUES tuple (its parameters
 * cast as `casts` says), `tail` follows. One statement per table per group commit, however many calls.
 */
interface MultiInsert {
  head: string;
  casts: readonly string[];
  tail: string;
}

// A repeated card uuid is the same card reported twice (a retried hook call): keep the first (also
// within one statement: ON CONFLICT DO NOTHING skips a row that conflicts with an earlier row of it).
const INSERT_CARDS: MultiInsert = {
  head: `INSERT INTO card_shown (card_uuid, service_id, hook_instance, patient_ref, card_key,
  order_refs, models, result_id, shown_at, iss, tenant, encounter_ref, override_reasons)`,
  casts: ['', '', '', '', '', '', '', '', '', '', '', '', ''],
  tail: 'ON CONFLICT (card_uuid) DO NOTHING',
};

const INSERT_AUDITS: MultiInsert = {
  head: `INSERT INTO audit_event (recorded, type, action, outcome, request_id, iss, tenant,
  user_ref, patient_ref, hook_instance, jti, service_id, models, fhir_server, query, status)`,
  casts: ['', '', '', '', '', '', '', '', '', '', '', '', '', '', '', ''],
  tail: '',
};

// The last write of an id wins, as it would with one upsert per result (duplicates are merged first:
// ON CONFLICT DO UPDATE cannot touch one row twice in a statement).
const UPSERT_RESULTS: MultiInsert = {
  head: 'INSERT INTO result (id, patient_ref, service_id, payload, created_at, expires_at)',
  casts: ['', '', '', '::jsonb', '', ''],
  tail: `ON CONFLICT (id) DO UPDATE SET patient_ref = EXCLUDED.patient_ref, service_id = EXCLUDED.service_id,
  payload = EXCLUDED.payload, created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at`,
};

/** Parameters per statement stay far below PostgreSQL's 65,535. */
const MAX_PARAMS = 30_000;

async function insertMany(tx: Queryable, insert: MultiInsert, rows: readonly unknown[][]): Promise<void> {
  const width = insert.casts.length;
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / width));
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    await tx.query(`${insert.head} VALUES ${tuples(insert, chunk.length, 0)} ${insert.tail}`, chunk.flat());
  }
}

const SELECT_AUDIT = `SELECT recorded, type, action, outcome, request_id, iss, tenant, user_ref, patient_ref,
  hook_instance, jti, service_id, models, fhir_server, query, status FROM audit_event`;

const SELECT_RESULT = `SELECT id, patient_ref, service_id, payload, created_at, expires_at
FROM result WHERE id = $1 AND expires_at > $2`;

/**
 * Card history joined with its feedback. Grouping by the primary key lets the other card_shown columns
 * be selected without listing them. An inner join keeps only cards that received feedback.
 */
const selectHistory = (
  join: 'LEFT JOIN' | 'JOIN',
): string => `SELECT c.card_uuid, c.service_id, c.hook_instance, c.patient_ref, c.card_key,
  c.order_refs, c.models, c.result_id, c.shown_at, c.iss, c.tenant, c.encounter_ref, c.override_reasons,
  COALESCE(jsonb_agg(jsonb_build_object('outcome', f.outcome, 'acceptedSuggestions', f.accepted_suggestions,
    'outcomeTimestamp', f.outcome_timestamp) ORDER BY f.outcome_timestamp, f.id) FILTER (WHERE f.id IS NOT NULL),
    '[]'::jsonb) AS feedback
FROM card_shown c
${join} feedback f ON f.card_uuid = c.card_uuid AND f.service_id = c.service_id`;

/** Drivers differ on `undefined` parameters, so absent optional fields are sent as SQL NULL explicitly. */
function n<T>(value: T | undefined): T | null {
  return value ?? null;
}

/**
 * WHERE clause for a history query, built from only the filters given so each engine plans with the
 * indexes that apply (an `$n IS NULL OR …` form would hide the GIN index on order_refs).
 */
function historyWhere(q: CardHistoryQuery): { where: string; params: unknown[] } {
  const params: unknown[] = [q.patientRef];
  const clauses = ['c.patient_ref = $1'];
  const add = (clause: (p: string) => string, value: unknown): void => {
    params.push(value);
    clauses.push(clause(`$${params.length}`));
  };
  if (q.serviceId !== undefined) add((p) => `c.service_id = ${p}`, q.serviceId);
  if (q.cardKey !== undefined) add((p) => `c.card_key = ${p}`, q.cardKey);
  if (q.orderRef !== undefined) add((p) => `c.order_refs @> ARRAY[${p}::text]`, q.orderRef);
  if (q.encounterRef !== undefined) add((p) => `c.encounter_ref = ${p}`, q.encounterRef);
  if (q.since !== undefined) add((p) => `c.shown_at >= ${p}`, q.since);
  if (q.tenant !== undefined) add((p) => `c.tenant = ${p}`, q.tenant);
  return { where: clauses.join(' AND '), params };
}

function resultParams(r: StoredResult): unknown[] {
  return [r.id, r.patientRef, r.serviceId, JSON.stringify(r.payload), r.createdAt, r.expiresAt];
}

function upsertResults(tx: Queryable, results: readonly StoredResult[]): Promise<void> {
  const last = new Map(results.map((r) => [r.id, r]));
  return insertMany(tx, UPSERT_RESULTS, [...last.values()].map(resultParams));
}

function cardParams(r: CardShownRecord): unknown[] {
  return [
    r.cardUuid,
    r.serviceId,
    r.hookInstance,
    r.patientRef,
    r.cardKey,
    [...r.orderRefs],
    [...r.models],
    n(r.resultId),
    r.shownAt,
    r.iss,
    n(r.tenant),
    n(r.encounterRef),
    r.overrideReasons === undefined ? null : r.overrideReasons.map(encodeReason),
  ];
}

const SELECT_CARD = `SELECT card_uuid, service_id, hook_instance, patient_ref, card_key, order_refs, models,
  result_id, shown_at, iss, tenant, encounter_ref, override_reasons FROM card_shown WHERE card_uuid = $1`;

/** The cards a reset removes: this patient's, optionally for one service and tenant. */
function resetWhere(q: CardHistoryReset, alias: string): { where: string; params: unknown[] } {
  const params: unknown[] = [q.patientRef];
  const clauses = [`${alias}patient_ref = $1`];
  for (const [column, value] of [
    ['service_id', q.serviceId],
    ['tenant', q.tenant],
  ] as const) {
    if (value === undefined) continue;
    params.push(value);
    clauses.push(`${alias}${column} = $${params.length}`);
  }
  return { where: clauses.join(' AND '), params };
}

/** Feedback first (it is found through the cards), then the cards, in one transaction. */
async function resetHistory(db: SqlDb, q: CardHistoryReset): Promise<{ cards: number; feedback: number }> {
  return db.transaction(async (tx) => {
    const joined = resetWhere(q, 'c.');
    const feedback = await tx.query<{ id: string }>(
      `DELETE FROM feedback f USING card_shown c
       WHERE f.card_uuid = c.card_uuid AND f.service_id = c.service_id AND ${joined.where}
       RETURNING f.id`,
      joined.params,
    );
    const own = resetWhere(q, '');
    const cards = await tx.query<{ card_uuid: string }>(
      `DELETE FROM card_shown WHERE ${own.where} RETURNING card_uuid`,
      own.params,
    );
    return { cards: cards.length, feedback: feedback.length };
  });
}

async function insertFeedback(db: Queryable, r: FeedbackRecord): Promise<boolean> {
  const reason = r.overrideReason;
  // The free-text userComment is not stored: it may name the patient, and analytics need only the code.
  const rows = await db.query(INSERT_FEEDBACK, [
    r.serviceId,
    r.cardUuid,
    r.outcome,
    canonicalSuggestions(r.acceptedSuggestions),
    n(reason?.system),
    n(reason?.code),
    n(reason?.display),
    r.outcomeTimestamp,
    r.iss,
    n(r.tenant),
  ]);
  return rows.length === 1;
}

function auditParams(r: AuditRecord): unknown[] {
  return [
    r.recorded,
    r.type,
    r.action,
    r.outcome,
    r.requestId,
    n(r.iss),
    n(r.tenant),
    n(r.userRef),
    n(r.patientRef),
    n(r.hookInstance),
    n(r.jti),
    n(r.serviceId),
    r.models === undefined ? null : [...r.models],
    n(r.fhirServer),
    n(r.query),
    n(r.status),
  ];
}

/** The VALUES tuples of `rows` for `insert`, numbering parameters from `$first + 1`. */
function tuples(insert: MultiInsert, rows: number, first: number): string {
  const width = insert.casts.length;
  return Array.from(
    { length: rows },
    (_, r) => `(${insert.casts.map((cast, c) => `$${String(first + r * width + c + 1)}${cast}`).join(', ')})`,
  ).join(', ');
}

/**
 * A group's writes. Usually one statement: each table's multi-row INSERT as a data-modifying WITH
 * clause, which PostgreSQL runs atomically (all rows or none) without BEGIN and COMMIT — on PGlite
 * that is one statement instead of five per group, about a quarter of the store's cost for one call
 * (README.md, "Performance"). A group too large for one statement's parameters is written table by table in
 * one transaction (results first: cards refer to them by id).
 */
async function writeGroup(
  db: Pick<SqlDb, 'query' | 'transaction'>,
  calls: readonly CallWrites[],
): Promise<void> {
  const results = [...new Map(calls.flatMap((c) => c.results ?? []).map((r) => [r.id, r])).values()];
  const parts: { insert: MultiInsert; rows: unknown[][] }[] = [
    { insert: UPSERT_RESULTS, rows: results.map(resultParams) },
    { insert: INSERT_CARDS, rows: calls.flatMap((c) => c.cards ?? []).map(cardParams) },
    { insert: INSERT_AUDITS, rows: calls.flatMap((c) => c.audits ?? []).map(auditParams) },
  ].filter((p) => p.rows.length > 0);
  const params = parts.reduce((sum, p) => sum + p.rows.length * p.insert.casts.length, 0);
  if (parts.length === 0) return;
  if (params > MAX_PARAMS) {
    await db.transaction(async (tx) => {
      for (const p of parts) await insertMany(tx, p.insert, p.rows);
    });
    return;
  }
  let first = 0;
  const statements = parts.map((p) => {
    const sql = `${p.insert.head} VALUES ${tuples(p.insert, p.rows.length, first)} ${p.insert.tail}`;
    first += p.rows.length * p.insert.casts.length;
    return sql;
  });
  const last = statements.pop() ?? '';
  const withs = statements.map((sql, i) => `w${String(i)} AS (${sql})`);
  await db.query(
    withs.length === 0 ? last : `WITH ${withs.join(', ')} ${last}`,
    parts.flatMap((p) => p.rows.flat()),
  );
}

function auditWhere(q: AuditQuery): { where: string; params: unknown[] } {
  const params: unknown[] = [];
  const clauses: string[] = [];
  const add = (column: string, value: unknown): void => {
    params.push(value);
    clauses.push(`${column} ${column === 'recorded' ? '>=' : '='} $${params.length}`);
  };
  if (q.requestId !== undefined) add('request_id', q.requestId);
  if (q.patientRef !== undefined) add('patient_ref', q.patientRef);
  if (q.type !== undefined) add('type', q.type);
  if (q.since !== undefined) add('recorded', q.since);
  params.push(q.limit ?? 1000);
  const where = clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`;
  return { where: `${where} ORDER BY id LIMIT $${params.length}`, params };
}

/**
 * The {@link Store} over any {@link SqlDb}: the same SQL on PGlite and PostgreSQL.
 * The store owns `db` from here on: `close()` closes it.
 */
/** Cards shown per UTC day, service and card id, with how many received each outcome (aggregates only). */
const SELECT_CARD_RATES = `SELECT to_char(c.shown_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, c.service_id,
  split_part(c.card_key, ':', 1) AS card_id, count(*) AS shown,
  count(*) FILTER (WHERE EXISTS (SELECT 1 FROM feedback f WHERE f.card_uuid = c.card_uuid
    AND f.service_id = c.service_id AND f.outcome = 'accepted')) AS accepted,
  count(*) FILTER (WHERE EXISTS (SELECT 1 FROM feedback f WHERE f.card_uuid = c.card_uuid
    AND f.service_id = c.service_id AND f.outcome = 'overridden')) AS overridden
FROM card_shown c WHERE c.shown_at >= $1 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`;

interface CardRateSqlRow {
  day: string;
  service_id: string;
  card_id: string;
  shown: number | string;
  accepted: number | string;
  overridden: number | string;
}

const CLAIM_UNBINNED = `SELECT id, service_id, payload, created_at FROM result
WHERE binned_at IS NULL ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED`;

const ADD_BINS = `INSERT INTO input_bins (model_id, model_version, input, day, bin, count)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::text[], $6::bigint[])
ON CONFLICT (model_id, model_version, input, day, bin) DO UPDATE SET count = input_bins.count + EXCLUDED.count`;

const SELECT_BINS = `SELECT model_id, model_version, input, to_char(day, 'YYYY-MM-DD') AS day, bin, count
FROM input_bins WHERE day >= $1::date ORDER BY model_id, model_version, input, day, bin`;

interface BinSqlRow {
  model_id: string;
  model_version: string;
  input: string;
  day: string;
  bin: string;
  count: number | string;
}

/** Sums counts with the same key, so one INSERT never names a conflict target twice. */
function summed(counts: readonly InputBinCount[]): InputBinCount[] {
  const byKey = new Map<string, InputBinCount>();
  for (const c of counts) {
    const key = JSON.stringify([c.modelId, c.modelVersion, c.input, c.day, c.bin]);
    const had = byKey.get(key);
    byKey.set(key, had === undefined ? { ...c } : { ...had, count: had.count + c.count });
  }
  return [...byKey.values()];
}

async function binResults(db: SqlDb, limit: number, bin: ResultBinner): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = await tx.query<{
      id: string;
      service_id: string;
      payload: unknown;
      created_at: Date | string;
    }>(CLAIM_UNBINNED, [limit]);
    if (rows.length === 0) return 0;
    const counts = summed(
      rows.flatMap((r) =>
        bin({
          serviceId: r.service_id,
          payload: typeof r.payload === 'string' ? (JSON.parse(r.payload) as unknown) : r.payload,
          createdAt: new Date(r.created_at),
        }),
      ),
    );
    if (counts.length > 0)
      await tx.query(ADD_BINS, [
        counts.map((c) => c.modelId),
        counts.map((c) => c.modelVersion),
        counts.map((c) => c.input),
        counts.map((c) => c.day),
        counts.map((c) => c.bin),
        counts.map((c) => c.count),
      ]);
    await tx.query('UPDATE result SET binned_at = now() WHERE id = ANY($1::text[])', [rows.map((r) => r.id)]);
    return rows.length;
  });
}

export function createSqlStore(db: SqlDb): Store {
  // The hot path's writes (cards shown with their results, audit) are group-committed across calls.
  const group = groupCommitter(db, writeGroup);
  const recordCall = async (writes: CallWrites): Promise<void> => {
    const size = (writes.results?.length ?? 0) + (writes.cards?.length ?? 0) + (writes.audits?.length ?? 0);
    if (size > 0) await group.run(writes);
  };
  return {
    migrate: () => migrate(db),
    recordFeedback: async (record) => ({ inserted: await insertFeedback(db, record) }),
    recordCardsShown: (records, results = []) => recordCall({ results, cards: records }),
    recordCall,
    findCardHistory: async (query) => {
      const { where, params } = historyWhere(query);
      const select = selectHistory(query.withFeedback === true ? 'JOIN' : 'LEFT JOIN');
      const sql = `${select} WHERE ${where} GROUP BY c.card_uuid ORDER BY c.shown_at DESC, c.card_uuid`;
      return (await db.query<CardRow>(sql, params)).map(toHistoryEntry);
    },
    findCardShown: async (cardUuid) => {
      const rows = await db.query<Omit<CardRow, 'feedback'>>(SELECT_CARD, [cardUuid]);
      return rows[0] === undefined ? undefined : toCardShown(rows[0]);
    },
    cardRates: async (since) =>
      (await db.query<CardRateSqlRow>(SELECT_CARD_RATES, [since])).map((r) => ({
        day: r.day,
        serviceId: r.service_id,
        cardId: r.card_id,
        shown: Number(r.shown),
        accepted: Number(r.accepted),
        overridden: Number(r.overridden),
      })),
    resetCardHistory: (query) => resetHistory(db, query),
    appendAudit: (record) => recordCall({ audits: [record] }),
    readAudit: async (query) => {
      const { where, params } = auditWhere(query);
      return (await db.query<AuditRow>(`${SELECT_AUDIT} ${where}`, params)).map(toAuditRecord);
    },
    putResult: (r: StoredResult) => upsertResults(db, [r]),
    getResult: async (id, now) => {
      const rows = await db.query<ResultRow>(SELECT_RESULT, [id, now]);
      return rows[0] === undefined ? undefined : toStoredResult(rows[0]);
    },
    binResults: (limit, bin) => binResults(db, limit, bin),
    inputBins: async (since) =>
      (await db.query<BinSqlRow>(SELECT_BINS, [since.toISOString().slice(0, 10)])).map((r) => ({
        modelId: r.model_id,
        modelVersion: r.model_version,
        input: r.input,
        day: r.day,
        bin: r.bin,
        count: Number(r.count),
      })),
    deleteExpiredResults: async (now) => {
      const rows = await db.query<{ id: string }>('DELETE FROM result WHERE expires_at <= $1 RETURNING id', [
        now,
      ]);
      return rows.length;
    },
    ping: async () => {
      try {
        const rows = await db.query<{ ok: number }>('SELECT 1 AS ok');
        return rows[0]?.ok === 1;
      } catch {
        return false;
      }
    },
    close: async () => {
      await group.drain();
      await db.close();
    },
  };
}
