/**
 * Every Prometheus metric Augur exports, in one module (aggregates only: labels are service ids, card
 * ids, model ids, reason codes and error kinds — never a patient, user or token). One registry of its
 * own (not prom-client's global one), so that node:cluster workers can later be summed by prom-client's
 * AggregatorRegistry from `metricsRegistry` alone.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export const metricsRegistry = new Registry();

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const hookCalls = new Counter({
  name: 'augur_hook_calls_total',
  help: 'CDS Hooks service calls by service and HTTP status',
  labelNames: ['service', 'status'] as const,
  registers: [metricsRegistry],
});
export const hookDuration = new Histogram({
  name: 'augur_hook_duration_seconds',
  help: 'CDS Hooks service call latency by service (request read to response written)',
  labelNames: ['service'] as const,
  buckets: SECONDS,
  registers: [metricsRegistry],
});
export const cardsShown = new Counter({
  name: 'augur_cards_total',
  help: 'Cards returned, by service, card id and indicator',
  labelNames: ['service', 'card', 'indicator'] as const,
  registers: [metricsRegistry],
});
export const cardsSuppressed = new Counter({
  name: 'augur_cards_suppressed_total',
  help: 'Cards not shown because of earlier feedback, by service and reason (overridden, accepted)',
  labelNames: ['service', 'reason'] as const,
  registers: [metricsRegistry],
});
export const feedback = new Counter({
  name: 'augur_feedback_total',
  help: 'Card feedback by service, card id and outcome (accepted, overridden)',
  labelNames: ['service', 'card', 'outcome'] as const,
  registers: [metricsRegistry],
});
export const overrideReasons = new Counter({
  name: 'augur_feedback_override_reasons_total',
  help: 'Override feedback by card id and override reason code ("none" when not given)',
  labelNames: ['card', 'reason'] as const,
  registers: [metricsRegistry],
});
export const fhirFailures = new Counter({
  name: 'augur_fhir_fetch_failures_total',
  help: 'FHIR fetch failures by kind (timeout, http, network, too-large, redirect, foreign-link, invalid-json, not-a-bundle)',
  labelNames: ['kind'] as const,
  registers: [metricsRegistry],
});
export const modelEvaluations = new Counter({
  name: 'augur_model_evaluations_total',
  help: 'Model evaluations by model id',
  labelNames: ['model'] as const,
  registers: [metricsRegistry],
});
export const explanationDuration = new Histogram({
  name: 'augur_explanation_duration_seconds',
  help: 'Time to evaluate and explain (Shapley) one input profile, by model id',
  labelNames: ['model'] as const,
  buckets: SECONDS,
  registers: [metricsRegistry],
});
export const storeDuration = new Histogram({
  name: 'augur_store_duration_seconds',
  help: 'Store operation latency by operation',
  labelNames: ['operation'] as const,
  buckets: SECONDS,
  registers: [metricsRegistry],
});

export const inputPsi = new Gauge({
  name: 'augur_input_psi',
  help: 'Population stability index of each model input this UTC week (Monday start) against the model development distribution; 0.1 moderate, 0.25 significant shift',
  labelNames: ['model', 'input'] as const,
  // Every worker computes the same value from the shared store: summing them (the default) would be wrong.
  aggregator: 'max',
  registers: [metricsRegistry],
});

/** The card id part of a card key (`ascvd-risk:band=high` → `ascvd-risk`). */
export function cardIdOf(key: string): string {
  return key.split(':', 1)[0] ?? key;
}

/** Counts the cards of one response by service, card id and indicator. */
export function countCards(
  service: string,
  cards: readonly { key: string; card: { indicator: string } }[],
): void {
  for (const c of cards) cardsShown.inc({ service, card: cardIdOf(c.key), indicator: c.card.indicator });
}

/** Counts one feedback item (outcome, and the override reason code when overridden) under its card's id. */
export function countFeedback(
  service: string,
  f: {
    outcome: 'accepted' | 'overridden';
    overrideReason?: { reason?: { code?: string | undefined } | undefined } | undefined;
  },
  cardKey: string | undefined,
): void {
  const card = cardKey === undefined ? 'unknown' : cardIdOf(cardKey);
  feedback.inc({ service, card, outcome: f.outcome });
  if (f.outcome === 'overridden')
    overrideReasons.inc({ card, reason: f.overrideReason?.reason?.code ?? 'none' });
}
