/**
 * The recorder a service is handed (ServiceContext.trace) when the caller asked for a trace. Services
 * tell it what they decided; it never changes a decision. Calls are `ctx.trace?.…`: without a trace
 * nothing is recorded and nothing is computed.
 */
import type { ModelRun } from '../cards/run-model.js';
import type { Verdict } from '../cards/suppression.js';
import type { ResolvedPrefetch } from '../cds/service.js';
import type { InputProvenance } from '../features/types.js';
import type { CardTrace, InputTrace, ModelTrace, PrefetchTrace, Trace } from './types.js';

export class TraceRecorder {
  readonly #service: string;
  readonly #hook: string;
  #prefetch: PrefetchTrace[] = [];
  readonly #models: ModelTrace[] = [];
  readonly #cards: CardTrace[] = [];
  readonly #derived: InputTrace[] = [];

  constructor(service: string, hook: string) {
    this.#service = service;
    this.#hook = hook;
  }

  /** Where each declared key's data came from (`sent`: the keys present in the request's prefetch). */
  prefetch(resolved: Readonly<Record<string, ResolvedPrefetch>>, sent: ReadonlySet<string>): void {
    this.#prefetch = Object.entries(resolved).map(([key, r]) => prefetchTrace(key, r, sent.has(key)));
  }

  /** A model run (once per model; a later call for the same model replaces it, e.g. to add the band). */
  model(run: ModelRun, band?: string): void {
    const t = modelTrace(run, band);
    const i = this.#models.findIndex((m) => m.model === t.model);
    if (i >= 0) this.#models[i] = t;
    else this.#models.push(t);
  }

  /** An input the service calculated itself (flag `derived`), with the note naming its sources. */
  derivedInput(name: string, p: InputProvenance): void {
    this.#derived.push(inputTrace(name, p));
  }

  /** No card: why (out of population, below threshold, data unreadable…). */
  notNeeded(reason: string, card?: string): void {
    this.#cards.push({ decision: 'not-needed', ...(card === undefined ? {} : { card }), reason });
  }

  /** The site's `cards.disabled` switched this card off. */
  switchedOff(card: string): void {
    this.#cards.push({
      decision: 'switched-off',
      card,
      reason: `site config cards.disabled lists "${card}"`,
    });
  }

  /** A planned card silenced by feedback (does nothing for a verdict that does not suppress). */
  suppressed(key: string, verdict: Verdict, extra: { card?: string; orderRef?: string } = {}): void {
    if (!verdict.suppressed) return;
    this.#cards.push({
      decision: 'suppressed',
      ...(extra.card === undefined ? {} : { card: extra.card }),
      key,
      ...(extra.orderRef === undefined ? {} : { orderRef: extra.orderRef }),
      reason:
        verdict.why === 'accepted'
          ? 'a suggestion of this card was accepted'
          : 'this card was overridden and its key (band) is unchanged',
      suppressedBy: {
        feedback: verdict.why,
        onCard: verdict.cardUuid,
        at: verdict.at.toISOString(),
        ...(verdict.until === undefined ? {} : { until: verdict.until.toISOString() }),
      },
    });
  }

  /** A planned card not shown for another reason than feedback (e.g. shown at order-select already). */
  held(key: string, reason: string, extra: { card?: string; orderRef?: string } = {}): void {
    this.#cards.push({ decision: 'not-needed', key, reason, ...extra });
  }

  /** A card sent. */
  shown(c: { key: string; uuid: string; card?: string; orderRef?: string; reason?: string }): void {
    this.#cards.push({
      decision: 'shown',
      key: c.key,
      uuid: c.uuid,
      ...(c.card === undefined ? {} : { card: c.card }),
      ...(c.orderRef === undefined ? {} : { orderRef: c.orderRef }),
      ...(c.reason === undefined ? {} : { reason: c.reason }),
    });
  }

  toJSON(): Trace {
    return {
      service: this.#service,
      hook: this.#hook,
      prefetch: this.#prefetch,
      models: this.#models,
      ...(this.#derived.length === 0 ? {} : { derivedInputs: this.#derived }),
      cards: this.#cards,
    };
  }
}

export function prefetchTrace(key: string, r: ResolvedPrefetch, sentByEhr: boolean): PrefetchTrace {
  if (r.state === 'unavailable') {
    return {
      key,
      source: 'unavailable',
      state: 'unavailable',
      reason: r.reason,
      sentByEhr,
      ...(r.unreadable === undefined ? {} : { unreadable: r.unreadable.map(unreadableTrace) }),
    };
  }
  const source = r.origin === 'prefetch' ? 'ehr' : 'fetched';
  if (r.state === 'bundle') {
    return {
      key,
      source,
      state: r.resources.length === 0 ? 'no-data' : 'bundle',
      sentByEhr,
      entries: r.resources.length,
      complete: r.complete,
      ...(r.unreadable === undefined ? {} : { unreadable: r.unreadable.map(unreadableTrace) }),
    };
  }
  return { key, source, state: r.state, sentByEhr };
}

const unreadableTrace = (u: { reference: string; problem: string }) => ({
  reference: u.reference,
  problem: u.problem,
});

export function modelTrace(run: ModelRun, band?: string): ModelTrace {
  const model = `${run.model.id}@${run.model.version}`;
  if (run.status === 'not-applicable') {
    return {
      model,
      population: 'out',
      status: run.status,
      reason: run.reason + (run.source === undefined ? '' : ` (${run.source})`),
      inputs: [],
    };
  }
  const inputs = Object.entries(run.inputs).map(([name, p]) => inputTrace(name, p));
  if (run.status === 'insufficient-data')
    return { model, population: 'in', status: run.status, reason: run.reason, missing: run.missing, inputs };
  return {
    model,
    population: 'in',
    status: 'ok',
    inputs,
    outputs: run.outputs,
    ...(band === undefined ? {} : { band }),
  };
}

function inputTrace(name: string, p: InputProvenance): InputTrace {
  return {
    name,
    value: p.value,
    ...(p.unit === undefined ? {} : { unit: p.unit }),
    ...(p.date === undefined ? {} : { date: p.date }),
    ...(p.source === undefined ? {} : { source: p.source }),
    flags: [...p.flags],
    ...(p.note === undefined ? {} : { note: p.note }),
  };
}
