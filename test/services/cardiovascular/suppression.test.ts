/**
 * Alert fatigue through HTTP: an override sent to the feedback endpoint silences the card while its
 * band is unchanged, for the site's override period (moved past by advancing the app's clock); a band
 * change brings it back; an accepted suggestion is not repeated; a site can switch each card id off.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Card } from '../../../src/cds/types.js';
import { cardiovascularService } from '../../../src/services/cardiovascular/service.js';
import { startServiceApp, type ServiceApp } from '../../support/services.js';
import { aCvPatient, NOW, type CvPatientOptions } from './builders.js';
import { PATH, suggestedCodes, summaries, withPrefetch } from './harness.js';

const DAY = 86_400_000;
const INTERMEDIATE: Omit<CvPatientOptions, 'id'> = { age: 60, race: 'white', sbp: 140, bpTreated: true };
const HIGH: Omit<CvPatientOptions, 'id'> = { ...INTERMEDIATE, sbp: 160, smoker: true };

let clock = NOW;
let t: ServiceApp;
beforeAll(async () => {
  t = await startServiceApp((deps) => [cardiovascularService(deps)], { now: () => clock });
});
afterAll(() => t.close());

async function feedback(item: Record<string, unknown>): Promise<void> {
  const path = `${PATH}/feedback`;
  await request(t.app)
    .post(path)
    .set('Authorization', `Bearer ${await t.token(path)}`)
    .send({ feedback: [{ outcomeTimestamp: clock.toISOString(), ...item }] })
    .expect(200);
}

const override = (card: Card | undefined, code: string): Promise<void> =>
  feedback({
    card: card?.uuid,
    outcome: 'overridden',
    overrideReason: { reason: card?.overrideReasons?.find((r) => r.code === code) },
  });

const show = (o: CvPatientOptions): Promise<Card[]> => withPrefetch(t, aCvPatient(o));

describe('override → silenced while the band is unchanged', () => {
  it('an override is not repeated; a band change brings the card back; the period expires', async () => {
    clock = NOW;
    const [first] = await show({ id: 'sup-1', ...INTERMEDIATE });
    expect(first?.summary).toBe(
      '10-yr ASCVD risk 12.3 % — intermediate (PCE); moderate-intensity statin recommended',
    );
    await override(first, 'patient-declines');
    expect(await show({ id: 'sup-1', ...INTERMEDIATE })).toEqual([]);

    clock = new Date(NOW.getTime() + 29 * DAY); // within the default 30 days
    expect(await show({ id: 'sup-1', ...INTERMEDIATE })).toEqual([]);

    expect(summaries(await show({ id: 'sup-1', ...HIGH }))).toEqual([
      '10-yr ASCVD risk 23.9 % — high (PCE); high-intensity statin recommended',
    ]);

    clock = new Date(NOW.getTime() + 31 * DAY); // the override of the intermediate card has expired
    expect(summaries(await show({ id: 'sup-1', ...INTERMEDIATE }))).toEqual([
      '10-yr ASCVD risk 12.3 % — intermediate (PCE); moderate-intensity statin recommended',
    ]);
    clock = NOW;
  });

  it('overriding the information-only card does not silence a later card that offers the draft', async () => {
    const stale = { id: 'sup-3', ...INTERMEDIATE, lipidDate: '2024-06-01' };
    const [info] = await show(stale);
    expect(info?.suggestions).toBeUndefined();
    await override(info, 'discussed-with-patient');
    expect(summaries(await show(stale))).toEqual([
      'Lipids last measured 2024-06-01 (stale) — repeat the lipid panel to update cardiovascular risk',
    ]);
    expect(summaries(await show({ ...stale, lipidDate: '2026-11-01' }))).toEqual([
      '10-yr ASCVD risk 12.3 % — intermediate (PCE); moderate-intensity statin recommended',
    ]);
  });

  it('overriding the lipid-panel card silences it, not the risk card', async () => {
    const o = { id: 'sup-2', age: 60, race: 'white' as const, sbp: 140, lipidDate: '2024-06-01' };
    const cards = await show(o);
    expect(cards).toHaveLength(2);
    await override(cards[1], 'recent-result-elsewhere');
    expect(summaries(await show(o))).toEqual(['10-yr ASCVD risk 10.6 % — intermediate (PCE)']);
  });
});

describe('accepted → not repeated', () => {
  it('accepting the statin draft silences the card for that band', async () => {
    const [card] = await show({ id: 'acc-1', ...INTERMEDIATE });
    await feedback({
      card: card?.uuid,
      outcome: 'accepted',
      acceptedSuggestions: [{ id: card?.suggestions?.[0]?.uuid }],
    });
    clock = new Date(NOW.getTime() + 60 * DAY); // past the override period: acceptance does not expire
    expect(await show({ id: 'acc-1', ...INTERMEDIATE })).toEqual([]);
    clock = NOW;
  });

  it('accepting the lipid-panel order: the missing-lipids card is not repeated', async () => {
    const o = { id: 'acc-2', age: 50, tc: null, hdl: null, ldl: null };
    const [card] = await show(o);
    expect(suggestedCodes(card)).toEqual(['loinc:57698-3']);
    await feedback({
      card: card?.uuid,
      outcome: 'accepted',
      acceptedSuggestions: [{ id: card?.suggestions?.[0]?.uuid }],
    });
    expect(await show(o)).toEqual([]);
  });
});

describe('a site switches card ids off (cards.disabled)', () => {
  /** One app with `disabled` switched off; the cards shown to each patient in turn. */
  async function withDisabled(disabled: string[], ...patients: CvPatientOptions[]): Promise<Card[][]> {
    const app = await startServiceApp((deps) => [cardiovascularService(deps)], {
      now: () => NOW,
      file: { cards: { disabled } },
    });
    try {
      const out: Card[][] = [];
      for (const o of patients) out.push(await withPrefetch(app, aCvPatient(o)));
      return out;
    } finally {
      await app.close();
    }
  }

  it('cv-statin-suggestion off: the risk card without a draft (info), still naming the guideline', async () => {
    const [cards = []] = await withDisabled(['cv-statin-suggestion'], { id: 'dis-1', ...INTERMEDIATE });
    expect(summaries(cards)).toEqual(['10-yr ASCVD risk 12.3 % — intermediate (PCE)']);
    expect(cards[0]?.indicator).toBe('info');
    expect(cards[0]?.suggestions).toBeUndefined();
    expect(cards[0]?.detail).toContain('**Guideline:** 10-year risk 7.5–20 %');
  });

  it('cv-risk off: no risk-only card, but the statin card still shows', async () => {
    const [borderline, statin] = await withDisabled(
      ['cv-risk'],
      { id: 'dis-2', age: 55, race: 'white' },
      { id: 'dis-3', ...INTERMEDIATE },
    );
    expect(borderline).toEqual([]);
    expect(suggestedCodes(statin?.[0])).toEqual(['rxnorm:617310']);
  });

  it('cv-lipids-missing off: no lipid-panel card', async () => {
    const noLipids = { id: 'dis-4', age: 50, tc: null, hdl: null, ldl: null };
    expect(await withDisabled(['cv-lipids-missing'], noLipids)).toEqual([[]]);
  });
});
