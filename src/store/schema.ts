/**
 * The schema, as an ordered list of migrations. Append new migrations; never edit one that has shipped,
 * because databases that already applied it will not run it again.
 *
 * Each statement is a separate string (not one script split on `;`) because function bodies contain `;`
 * and because both engines then run every statement through the same extended-protocol `query()`.
 */

/** One schema version: its statements run in order inside the migration transaction. */
export interface Migration {
  version: number;
  name: string;
  statements: readonly string[];
}

/**
 * Scalar identifiers (issuer, references, ids, `modelId@version`) are capped so that a caller that passes
 * a resource body or a token by mistake fails loudly instead of storing it.
 */
const IDENT_DOMAIN = `CREATE DOMAIN augur_ident AS text CHECK (length(VALUE) BETWEEN 1 AND 256)`;

const FEEDBACK = `CREATE TABLE feedback (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  service_id augur_ident NOT NULL,
  card_uuid augur_ident NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('accepted', 'overridden')),
  accepted_suggestions text[] NOT NULL,
  override_reason_system augur_ident,
  override_reason_code augur_ident,
  override_reason_display augur_ident,
  outcome_timestamp timestamptz NOT NULL,
  iss augur_ident NOT NULL,
  tenant augur_ident,
  received_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT feedback_once UNIQUE (service_id, card_uuid, outcome, outcome_timestamp, accepted_suggestions)
)`;

const CARD_SHOWN = `CREATE TABLE card_shown (
  card_uuid augur_ident PRIMARY KEY,
  service_id augur_ident NOT NULL,
  hook_instance augur_ident NOT NULL,
  patient_ref augur_ident NOT NULL,
  card_key augur_ident NOT NULL,
  order_refs text[] NOT NULL,
  models text[] NOT NULL,
  result_id augur_ident,
  shown_at timestamptz NOT NULL,
  iss augur_ident NOT NULL,
  tenant augur_ident
)`;

const AUDIT_EVENT = `CREATE TABLE audit_event (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  recorded timestamptz NOT NULL,
  type text NOT NULL CHECK (type IN ('hook-call', 'feedback', 'discovery', 'fhir-query', 'auth-failure', 'result-read', 'patient-mismatch')),
  action text NOT NULL CHECK (action IN ('C', 'R', 'U', 'D', 'E')),
  outcome text NOT NULL CHECK (outcome IN ('0', '4', '8', '12')),
  request_id augur_ident NOT NULL,
  iss augur_ident,
  tenant augur_ident,
  user_ref augur_ident,
  patient_ref augur_ident,
  hook_instance augur_ident,
  jti augur_ident,
  service_id augur_ident,
  models text[],
  fhir_server text CHECK (length(fhir_server) <= 2048),
  query text CHECK (length(query) <= 2048),
  status integer CHECK (status BETWEEN 100 AND 599)
)`;

/** Audit is evidence: no statement may rewrite or remove it, whatever the connecting role may do. */
const AUDIT_APPEND_ONLY_FN = `CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_event is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$`;

const RESULT = `CREATE TABLE result (
  id augur_ident PRIMARY KEY,
  patient_ref augur_ident NOT NULL,
  service_id augur_ident NOT NULL,
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
)`;

/**
 * Override-rate analytics: each feedback with the hookInstance and model versions of the card it is about.
 * A left join, because feedback can arrive for a card whose `card_shown` row was never written; the
 * service_id must match too, so one service cannot attach feedback to another service's card.
 * The patient reference is deliberately left out: analytics do not need to know whose card it was.
 */
const FEEDBACK_ANALYTICS = `CREATE VIEW feedback_analytics AS
SELECT f.id AS feedback_id, f.service_id, f.card_uuid, f.outcome, f.accepted_suggestions,
       f.override_reason_system, f.override_reason_code, f.outcome_timestamp, f.iss, f.tenant,
       c.hook_instance, c.card_key, c.models, c.shown_at
FROM feedback f
LEFT JOIN card_shown c ON c.card_uuid = f.card_uuid AND c.service_id = f.service_id`;

/**
 * Input drift aggregates (src/monitoring/drift.ts): how many model runs per UTC day had each input in each
 * bin of the model's development distribution. Counts only — no patient, no result id, no value: a bin is
 * a numeric bin index ("0"…) or a category ("true", "female"). They outlive the 24 h results.
 */
const INPUT_BINS = `CREATE TABLE input_bins (
  model_id augur_ident NOT NULL,
  model_version augur_ident NOT NULL,
  input augur_ident NOT NULL,
  day date NOT NULL,
  bin augur_ident NOT NULL,
  count bigint NOT NULL CHECK (count >= 0),
  PRIMARY KEY (model_id, model_version, input, day, bin)
)`;

/** The audit types after migration 2 (adds `history-reset`). */
const AUDIT_TYPES_V2 = `'hook-call', 'feedback', 'discovery', 'fhir-query', 'auth-failure', 'result-read', 'patient-mismatch', 'history-reset'`;

/** Every migration, oldest first. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'feedback, card_shown, audit_event, result, feedback_analytics',
    statements: [
      IDENT_DOMAIN,
      FEEDBACK,
      // Card history joins feedback by card.
      `CREATE INDEX feedback_card_uuid ON feedback (card_uuid)`,
      CARD_SHOWN,
      `CREATE INDEX card_shown_patient_service_key ON card_shown (patient_ref, service_id, card_key, shown_at DESC)`,
      `CREATE INDEX card_shown_order_refs ON card_shown USING gin (order_refs)`,
      AUDIT_EVENT,
      // Access reports ("who saw this patient's data, when") are the audit log's main query.
      `CREATE INDEX audit_event_patient_recorded ON audit_event (patient_ref, recorded)`,
      `CREATE INDEX audit_event_recorded ON audit_event (recorded)`,
      AUDIT_APPEND_ONLY_FN,
      `CREATE TRIGGER audit_event_no_rewrite BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_event
       FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()`,
      RESULT,
      `CREATE INDEX result_expires_at ON result (expires_at)`,
      FEEDBACK_ANALYTICS,
    ],
  },
  {
    version: 2,
    name: 'card_shown encounter_ref and override_reasons; history-reset audit type',
    statements: [
      `ALTER TABLE card_shown ADD COLUMN encounter_ref augur_ident`,
      // "system|code" per offered reason; NULL for cards recorded before this column existed.
      `ALTER TABLE card_shown ADD COLUMN override_reasons text[]`,
      `ALTER TABLE audit_event DROP CONSTRAINT audit_event_type_check`,
      `ALTER TABLE audit_event ADD CONSTRAINT audit_event_type_check CHECK (type IN (${AUDIT_TYPES_V2}))`,
    ],
  },
  {
    version: 3,
    name: 'input_bins (drift aggregates) and result.binned_at',
    statements: [
      INPUT_BINS,
      // Results not yet counted into input_bins (the drift job claims them oldest first).
      `ALTER TABLE result ADD COLUMN binned_at timestamptz`,
      `CREATE INDEX result_unbinned ON result (created_at) WHERE binned_at IS NULL`,
    ],
  },
];
