/**
 * Care gaps for the known panel patients: what examples/patients/index.json says each patient's cards
 * are, translated to gaps (src/population/gaps.ts), equals the gaps scorePatient finds — for every
 * panel patient. Plus the numbers, bands, drivers and missing/stale inputs of a worklist row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openScorer, type Scorer } from '../../src/population/scorer.js';
import { scorePatient, scorePatientOrReason } from '../../src/population/score-patient.js';
import type { PatientScore } from '../../src/population/types.js';
import { readIndex } from '../panel/harness.js';
import { AS_OF, panelResources } from './support.js';

type Expected = { card: string; suggestions?: string[] };

/** The gap an expected card means (index.json card ids → gap ids). */
function gapOf(card: Expected): string | undefined {
  switch (card.card) {
    case 'cv-statin-suggestion':
      return 'cv-no-statin';
    case 'cv-lipids-missing':
      return 'cv-lipids-missing';
    case 'af-anticoagulation':
      return 'af-no-anticoagulant';
    case 'kfre-acr-missing':
      return 'ckd-acr-missing';
    case 'pgx':
      return 'pgx-interacting-drug';
    case 'kfre-risk':
      // A referral draft is offered only when no referral is open: that is the gap.
      return card.suggestions?.some((s) => s.startsWith('create ServiceRequest')) === true
        ? 'ckd-no-referral'
        : undefined;
    default:
      return undefined; // cv-risk, af-bleeding-risk: a card, not a care gap
  }
}

/**
 * Where the gap is not visible from the index's card ids alone: a risk card whose statin draft the
 * service withheld because the lipids are stale (the statin rule matched, no statin on file).
 */
const WITHHELD_STATIN = new Set(['augur-cv-lipids-stale']);

let scorer: Scorer;
const scores = new Map<string, PatientScore>();

beforeAll(async () => {
  scorer = await openScorer();
  for (const p of readIndex().patients)
    scores.set(p.id, await scorePatient(scorer.deps, panelResources(p.id), AS_OF));
}, 120_000);
afterAll(async () => {
  await scorer.close();
});

describe('care gaps of the panel patients', () => {
  const index = readIndex();
  it.each(index.patients.map((p) => [p.id, p] as const))('%s', (id, p) => {
    const s = scores.get(id);
    if (s?.status !== 'scored') throw new Error(`${id} not scored`);
    const defect = new Set(p.messy?.knownDefect?.services ?? []);
    const expected = new Set<string>();
    for (const [service, e] of Object.entries(p.expect)) {
      // A service's known defect (index messy.knownDefect) is in its cards, so in the worklist too:
      // bulk scoring uses the service's code path, it does not fix the service.
      if (defect.has(service)) continue;
      for (const c of (e as { cards?: Expected[] }).cards ?? []) {
        const g = gapOf(c);
        if (g !== undefined) expected.add(g);
      }
    }
    if (WITHHELD_STATIN.has(id)) expected.add('cv-no-statin');
    const found = s.gaps.filter((g) => !defect.has(g.serviceId)).map((g) => g.gap);
    expect(new Set(found)).toEqual(expected);
    expect(found).toHaveLength(new Set(found).size); // one row per patient per gap
  });

  it('gives the number, band and drivers of each gap (augur-example)', () => {
    const s = scores.get('augur-example');
    if (s?.status !== 'scored') throw new Error('not scored');
    const byGap = new Map(s.gaps.map((g) => [g.gap, g]));
    const cv = byGap.get('cv-no-statin');
    expect(cv).toMatchObject({
      band: 'high',
      model: 'ascvd-pce-10y@1.0.0',
      measure: 'risk_10y',
      card: 'cv-statin-suggestion',
    });
    expect(cv?.value).toBeCloseTo(0.3606, 3);
    expect(cv?.drivers[0]).toMatch(/^age_years \+\d/);
    expect(byGap.get('af-no-anticoagulant')).toMatchObject({
      band: 'recommended',
      value: 3,
      measure: 'score',
    });
    const ckd = byGap.get('ckd-no-referral');
    expect(ckd).toMatchObject({ band: 'referral', measure: 'risk_5y' });
    expect(ckd?.value).toBeCloseTo(0.0537, 3);
  });

  it('names what is stale or missing on the row', () => {
    const stale = scores.get('augur-cv-lipids-stale');
    if (stale?.status !== 'scored') throw new Error('not scored');
    const row = stale.gaps.find((g) => g.gap === 'cv-no-statin');
    expect(row?.stale.length).toBeGreaterThan(0);
    const acr = scores.get('augur-kfre-acr-missing');
    if (acr?.status !== 'scored') throw new Error('not scored');
    expect(acr.gaps.find((g) => g.gap === 'ckd-acr-missing')?.missing).toContain('uacr_mg_g');
  });

  it('says why a patient has no card, and gives no RiskAssessment for a model out of population', () => {
    const s = scores.get('augur-cv-too-young');
    if (s?.status !== 'scored') throw new Error('not scored');
    expect(s.gaps).toEqual([]);
    const pce = s.models.find((m) => m.model.startsWith('ascvd-pce-10y@'));
    expect(pce).toMatchObject({ status: 'not-applicable' });
    expect(pce?.reason).toMatch(/age/);
    expect(s.riskAssessments.some((r) => r.method?.coding?.[0]?.code === 'ascvd-pce-10y')).toBe(false);
    expect(s.noCard.find((n) => n.serviceId === 'augur-cardiovascular-risk')?.reasons.join(' ')).toMatch(
      /population/,
    );
  });

  it('is plain JSON (worker threads and BullMQ send it as is)', () => {
    const s = scores.get('augur-example');
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
    expect(structuredClone(s)).toEqual(s);
  });

  it('records a patient whose scoring fails as not scored, with why, instead of stopping the run', async () => {
    // A fault no real data produces here: a service that throws (a bug) for this patient.
    const [first] = scorer.deps.services;
    if (first === undefined) throw new Error('no service');
    const broken = {
      ...first,
      handle: () => Promise.reject(new TypeError('boom')),
    };
    const s = await scorePatientOrReason(
      { ...scorer.deps, services: [broken] },
      panelResources('augur-cv-low'),
      AS_OF,
    );
    expect(s).toEqual({
      status: 'not-scored',
      patientId: 'augur-cv-low',
      reason: 'scoring failed: TypeError: boom',
    });
  });
});
