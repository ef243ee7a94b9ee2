/**
 * The panel regression suite: every patient of examples/patients through every patient-view service,
 * and every draft order through order-select (alone) and order-sign (all together), each with prefetch
 * filled as an EHR fills it and without prefetch (Augur fetches from the real FHIR server) — asserting
 * the index's expectation: card ids, indicators, bands, PGx findings and key suggestions, never wording.
 *
 * A messy chart Augur mishandles today keeps its clinically correct expectation in the index; its test
 * is named "KNOWN DEFECT" and declared failing (`it.fails`), so the suite stays green and turns red the
 * day the defect is fixed — then drop the `knownDefect` note in tools/panel/patients/messy-today.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PATIENT_VIEW_SERVICES,
  type DraftOrder,
  type Expectation,
  type PanelPatient,
} from '../../tools/panel/types.js';
import { orderHook, patientView, readIndex, startPanelWorld, type Mode, type PanelWorld } from './harness.js';
import { differences } from './observe.js';

const index = readIndex();
const MODES: readonly Mode[] = ['prefetch', 'fetch'];
let w: PanelWorld;

beforeAll(async () => {
  w = await startPanelWorld(index);
}, 120_000);
afterAll(async () => {
  await w.close();
});

const defective = (p: PanelPatient, service: string): boolean =>
  p.messy?.knownDefect?.services.includes(service) === true;

/** `it`, or `it.fails` with a name that says why, for a known defect. */
function check(p: PanelPatient, service: string, name: string, run: () => Promise<string[]>): void {
  const body = async (): Promise<void> => {
    expect(await run()).toEqual([]);
  };
  if (defective(p, service))
    it.fails(`KNOWN DEFECT — ${name}: ${p.messy?.knownDefect?.description ?? ''}`, body);
  else it(name, body);
}

/** Everything order-sign should show: the union of each order's order-select expectation. */
const union = (orders: readonly DraftOrder[]): Expectation => ({
  cards: orders.flatMap((o) => o.expect.cards),
  reason: 'order-sign shows each draft’s finding',
});

describe.each(index.patients.map((p) => [p.id, p] as const))('%s', (_id, p) => {
  for (const mode of MODES) {
    for (const service of PATIENT_VIEW_SERVICES) {
      check(p, service, `${service} (${mode})`, async () =>
        differences(await patientView(w, service, p.id, mode), p.expect[service]),
      );
    }
    for (const order of p.orders ?? []) {
      check(p, 'augur-pgx-order-select', `order-select ${order.drug} (${mode})`, async () =>
        differences(await orderHook(w, 'order-select', p.id, [order], mode), order.expect),
      );
    }
    if (p.orders !== undefined && p.orders.length > 0) {
      const orders = p.orders;
      check(p, 'augur-pgx-order-sign', `order-sign, ${String(orders.length)} drafts (${mode})`, async () =>
        differences(await orderHook(w, 'order-sign', p.id, orders, mode), union(orders)),
      );
    }
  }
});

describe('the panel covers what the issue asks for', () => {
  const all = index.patients;
  const cardsOf = (service: string) =>
    all.flatMap((p) => p.expect[service as keyof PanelPatient['expect']].cards);
  it('has at least 30 patients', () => {
    expect(all.length).toBeGreaterThanOrEqual(30);
  });
  it('reaches every PCE band, every CHA₂DS₂-VASc band and every KFRE tier', () => {
    const bands = (service: string, card: string) =>
      new Set(
        cardsOf(service)
          .filter((c) => c.card === card)
          .map((c) => c.band),
      );
    expect([
      ...bands('augur-cardiovascular-risk', 'cv-risk'),
      ...bands('augur-cardiovascular-risk', 'cv-statin-suggestion'),
    ]).toEqual(expect.arrayContaining(['borderline', 'intermediate', 'high', 'low']));
    expect([...bands('augur-atrial-fibrillation', 'af-anticoagulation')].sort()).toEqual([
      'considered',
      'recommended',
    ]);
    expect([...bands('augur-kidney-risk', 'kfre-risk')].sort()).toEqual([
      'krt-planning',
      'multidisciplinary',
      'referral',
    ]);
  });
  it('shows every card id of the risk services at least once', () => {
    const ids = new Set(
      all.flatMap((p) => Object.values(p.expect).flatMap((e) => e.cards.map((c) => c.card))),
    );
    for (const id of [
      'cv-risk',
      'cv-statin-suggestion',
      'cv-lipids-missing',
      'af-anticoagulation',
      'af-bleeding-risk',
      'kfre-risk',
      'kfre-acr-missing',
      'pgx',
    ])
      expect(ids).toContain(id);
  });
});
