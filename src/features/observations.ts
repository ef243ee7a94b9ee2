/**
 * Observation selection: usable status, inside the lookback window, most recent first.
 * Quantity values come from the Observation itself or from a component (e.g. SBP 8480-6 in the BP
 * panel 85354-9), converted with UCUM; an unconvertible newer value is reported, not used.
 */
import type { Observation, ObservationComponent, Quantity } from 'fhir/r4.js';
import type { ObservationBinding } from './binding.js';
import { daysBetween, observationDateText, parseFhirDate } from './dates.js';
import type { FhirResource, Flag, Resolved } from './types.js';
import { referenceOf, resolved } from './types.js';
import { convertQuantity } from './units.js';
import type { CompiledValueSet, ValueSetIndex } from './valuesets.js';
import { conceptInValueSet, getValueSet, keyOf } from './valuesets.js';

/** Results that count (FHIR R4 ObservationStatus): preliminary, cancelled and entered-in-error do not. */
const USABLE_STATUS = new Set(['final', 'amended', 'corrected']);
/** A date-only result can look up to a day "in the future" across time zones. */
const FUTURE_TOLERANCE_DAYS = 1;

export interface Dated<T> {
  item: T;
  observation: Observation;
  date: Date;
  dateText: string;
  ageDays: number;
}

export interface Window {
  lookbackDays: number;
  staleAfterDays: number;
}

export const isObservation = (r: FhirResource): r is Observation => r.resourceType === 'Observation';

/**
 * Usable observations with a date, newest first, each mapped by `pick` (undefined → skipped). Results
 * with the same time are ordered by `rank` (lower first), so the choice never depends on the order a
 * server happened to return them in.
 */
export function datedObservations<T>(
  resources: readonly FhirResource[],
  now: Date,
  pick: (o: Observation) => T | undefined,
  rank: (o: Observation) => number = () => 0,
): Dated<T>[] {
  const out: Dated<T>[] = [];
  for (const o of resources.filter(isObservation)) {
    if (!USABLE_STATUS.has(o.status)) continue;
    const item = pick(o); // the code check first: most observations are about something else
    if (item === undefined) continue;
    const dateText = observationDateText(o);
    const date = parseFhirDate(dateText);
    if (dateText === undefined || date === undefined) continue;
    out.push({ item, observation: o, date, dateText, ageDays: daysBetween(date, now) });
  }
  return out.sort((a, b) => b.date.getTime() - a.date.getTime() || rank(a.observation) - rank(b.observation));
}

/**
 * The position of the observation's code in the value set's list (its order of preference, e.g. a
 * direct LDL-C before a calculated one); a code outside the list (a panel holding the value in a
 * component) ranks after every listed one.
 */
export function codeRank(o: Observation, vs: CompiledValueSet): number {
  const order = [...vs.codes];
  const ranks = (o.code.coding ?? []).map((c) => order.indexOf(keyOf(c.system ?? '', c.code ?? '')));
  const listed = ranks.filter((r) => r >= 0);
  return listed.length === 0 ? order.length : Math.min(...listed);
}

/** Split into results inside the window and a note about the newest one outside it (if any). */
export function inWindow<T>(all: Dated<T>[], w: Window): { within: Dated<T>[]; notes: string[] } {
  const within = all.filter((d) => d.ageDays <= w.lookbackDays && d.ageDays >= -FUTURE_TOLERANCE_DAYS);
  const older = all.find((d) => d.ageDays > w.lookbackDays);
  const notes =
    within.length === 0 && older !== undefined
      ? [`latest result (${older.dateText}) is older than the ${w.lookbackDays}-day lookback`]
      : [];
  return { within, notes };
}

/** The quantity an observation carries for `target` (itself, or a component when `panel` allows). */
export function quantityFor(
  o: Observation,
  target: CompiledValueSet,
  panel: CompiledValueSet | undefined,
): { quantity: Quantity; component?: ObservationComponent } | undefined {
  if (o.dataAbsentReason === undefined && conceptInValueSet(o.code, target)) {
    // valueInteger (e.g. [#] Pregnancies 11996-6) is a unitless count.
    const quantity =
      o.valueQuantity ?? (o.valueInteger === undefined ? undefined : { value: o.valueInteger });
    if (quantity !== undefined) return { quantity };
  }
  if (panel !== undefined && !conceptInValueSet(o.code, panel)) return undefined;
  const component = (o.component ?? []).find(
    (c) =>
      c.valueQuantity !== undefined && c.dataAbsentReason === undefined && conceptInValueSet(c.code, target),
  );
  return component?.valueQuantity === undefined
    ? undefined
    : { quantity: component.valueQuantity, component };
}

type QuantityBinding = Pick<ObservationBinding, 'valueSet' | 'unit' | 'lookbackDays' | 'staleAfterDays'> & {
  componentValueSet?: string | undefined;
  molarMass?: number | undefined;
  aggregate?: 'latest' | 'mean-latest-3' | undefined;
};

/**
 * Resolve a quantity binding. With `componentValueSet`, `valueSet` names the panels and the value
 * is the component in `componentValueSet` (a standalone observation coded in it also counts);
 * without it, the value is the observation (or any component) coded in `valueSet`.
 */
export function resolveQuantity(
  b: QuantityBinding,
  resources: readonly FhirResource[],
  now: Date,
  index: ValueSetIndex,
): Resolved {
  const target = getValueSet(index, b.componentValueSet ?? b.valueSet);
  const panel = b.componentValueSet === undefined ? undefined : getValueSet(index, b.valueSet);
  const all = datedObservations(
    resources,
    now,
    (o) => quantityFor(o, target, panel),
    (o) => codeRank(o, target),
  );
  const { within, notes } = inWindow(all, b);
  const usable: { d: Dated<unknown>; value: number; quantity: Quantity }[] = [];
  const skipped: string[] = [];
  const wanted = b.aggregate === 'mean-latest-3' ? 3 : 1;
  for (const d of within) {
    if (usable.length >= wanted) break;
    const conv = convertQuantity(d.item.quantity, b.unit, b.molarMass);
    if (conv.ok) usable.push({ d, value: conv.value, quantity: d.item.quantity });
    else skipped.push(`${referenceOf(d.observation) ?? 'Observation'} (${d.dateText}): ${conv.reason}`);
  }
  const flags: Flag[] = skipped.length > 0 ? ['unit-unknown'] : [];
  const skippedNote = skipped.length > 0 ? [`unit not usable: ${skipped.join('; ')}`] : [];
  const first = usable[0];
  if (first === undefined) return resolved(null, { flags, notes: [...notes, ...skippedNote] });
  const value = usable.reduce((s, u) => s + u.value, 0) / usable.length;
  const extra = qualifierNotes(first.quantity);
  if (usable.length > 1) extra.push(`mean of the latest ${usable.length} results`);
  if (first.d.ageDays > b.staleAfterDays) {
    flags.push('stale');
    extra.push(`result is ${Math.floor(first.d.ageDays)} days old (stale after ${b.staleAfterDays})`);
  }
  return withSource(resolved(value, { unit: b.unit, flags, notes: [...skippedNote, ...extra] }), first.d);
}

function qualifierNotes(q: Quantity): string[] {
  return q.comparator === undefined
    ? []
    : [`reported as ${q.comparator}${q.value ?? ''}: the bound was used`];
}

/** Attach date and source reference of the observation a value came from. */
export function withSource(r: Resolved, d: Dated<unknown>): Resolved {
  const source = referenceOf(d.observation);
  return { ...r, date: d.dateText, ...(source === undefined ? {} : { source }) };
}
