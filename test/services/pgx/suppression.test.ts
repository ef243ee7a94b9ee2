/**
 * Alert fatigue and honesty about missing data, through HTTP: an overridden order-select card is not
 * shown again for the same order while the override holds; genomic results that could not be read
 * never turn into "no result on file" (no test suggestion, an info card saying what was not checked);
 * a site's `cards.disabled` switches off all PGx cards (`pgx`) or one drug's (`pgx-<drug>`).
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Card } from '../../../src/cds/types.js';
import { pgxServices } from '../../../src/services/pgx/index.js';
import { startServiceApp, type ServiceApp } from '../../support/services.js';
import { anOrderRequest, aPatientViewRequest } from '../../support/hook-requests.js';
import { aMedicationRequest, aPatient } from '../../support/fhir-builders.js';
import { genotype } from '../../pgx/helpers.js';
import { cardsOf, draft, NOW, searchset } from './harness.js';

const SELECT = 'augur-pgx-order-select';
let t: ServiceApp;
beforeAll(async () => {
  t = await startServiceApp((deps) => pgxServices(deps), { now: () => NOW });
});
afterAll(() => t.close());

async function override(card: Card): Promise<void> {
  const fb = `/cds-services/${SELECT}/feedback`;
  await request(t.app)
    .post(fb)
    .set('Authorization', `Bearer ${await t.token(fb)}`)
    .send({
      feedback: [
        {
          card: card.uuid,
          outcome: 'overridden',
          overrideReason: { reason: card.overrideReasons?.[0] },
          outcomeTimestamp: '2026-11-22T11:00:00Z',
        },
      ],
    })
    .expect(200);
}

describe('PGx suppression and unavailable data', () => {
  it('an overridden card is not repeated for the same order; another order still gets it', async () => {
    const id = 'sup-1';
    const prefetch = {
      patient: aPatient({ id }),
      observations: searchset([genotype('CYP2D6', '*4/*4')]),
      medications: searchset([]),
    };
    const order = draft('cod1', '2670', 'codeine', id);
    const req = () =>
      anOrderRequest('order-select', [order], ['MedicationRequest/cod1'], { patientId: id, prefetch });
    const [card] = await cardsOf(t, SELECT, req());
    expect(card?.summary).toBe('Codeine: CYP2D6 poor metabolizer — avoid codeine (little analgesia) (CPIC)');
    if (card === undefined) throw new Error('no card');
    await override(card);
    expect(await cardsOf(t, SELECT, req())).toEqual([]);
    const other = draft('cod2', '2670', 'codeine', id);
    const again = await cardsOf(
      t,
      SELECT,
      anOrderRequest('order-select', [other], ['MedicationRequest/cod2'], { patientId: id, prefetch }),
    );
    expect(again).toHaveLength(1);
  });

  it('Observations unavailable: says what was not checked, suggests no test', async () => {
    const id = 'sup-2';
    const order = draft('abc2', '190521', 'abacavir', id);
    const cards = await cardsOf(
      t,
      SELECT,
      anOrderRequest('order-select', [order], ['MedicationRequest/abc2'], {
        patientId: id,
        prefetch: { patient: aPatient({ id }), medications: searchset([]) },
      }),
    );
    expect(cards.map((c) => [c.indicator, c.summary])).toEqual([
      ['info', 'Abacavir: genomic results could not be retrieved — HLA-B not checked'],
    ]);
    expect(cards[0]?.suggestions).toBeUndefined();
  });
});

describe('a site switches PGx cards off (cards.disabled)', () => {
  const id = 'dis-pgx';
  const prefetch = {
    patient: aPatient({ id }),
    observations: searchset([genotype('CYP2D6', '*4/*4'), genotype('CYP2C19', '*2/*2')]),
    medications: searchset([
      { ...aMedicationRequest({ id: 'm-clop', rxnorm: '309362' }), subject: { reference: `Patient/${id}` } },
    ]),
  };
  const orders = [draft('d-cod', '2670', 'codeine', id), draft('d-clop', '309362', 'clopidogrel', id)];
  const select = anOrderRequest(
    'order-select',
    orders,
    ['MedicationRequest/d-cod', 'MedicationRequest/d-clop'],
    {
      patientId: id,
      prefetch,
    },
  );
  const view = aPatientViewRequest({ patientId: id, prefetch });
  /** Order-select summaries and patient-view card count, from an app with `disabled` switched off. */
  async function shown(app: ServiceApp): Promise<{ select: string[]; view: number }> {
    return {
      select: (await cardsOf(app, SELECT, select)).map((c) => c.summary),
      view: (await cardsOf(app, 'augur-pgx-patient-view', view)).length,
    };
  }
  async function withDisabled(disabled: string[]): Promise<{ select: string[]; view: number }> {
    const app = await startServiceApp((deps) => pgxServices(deps), {
      now: () => NOW,
      file: { cards: { disabled } },
    });
    try {
      return await shown(app);
    } finally {
      await app.close();
    }
  }

  it('nothing disabled: both order cards and the patient-view card', async () => {
    const { select: s, view: v } = await withDisabled([]);
    expect(s).toHaveLength(2);
    expect(v).toBe(1);
  });

  it('pgx-codeine: the codeine card goes, clopidogrel stays', async () => {
    const { select: s } = await withDisabled(['pgx-codeine']);
    expect(s).toEqual([
      'Clopidogrel: CYP2C19 poor metabolizer — avoid clopidogrel; use prasugrel or ticagrelor (CPIC)',
    ]);
  });

  it('pgx: no PGx card at order-select or patient-view', async () => {
    expect(await withDisabled(['pgx'])).toEqual({ select: [], view: 0 });
  });
});
