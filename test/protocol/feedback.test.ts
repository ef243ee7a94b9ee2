import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { aPatientViewRequest } from '../support/hook-requests.js';

const FB = '/cds-services/test-patient-view/feedback';
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

async function sendFeedback(body: unknown, status: number, path = FB, aud = path) {
  return request(t.app)
    .post(path)
    .set('Authorization', `Bearer ${await t.token(aud)}`)
    .send(body as object)
    .expect(status);
}

/** Shows a card through the real service so feedback has history to join to. */
async function showCard(): Promise<string> {
  const path = '/cds-services/test-patient-view';
  const res = await request(t.app)
    .post(path)
    .set('Authorization', `Bearer ${await t.token(path)}`)
    .send(aPatientViewRequest({ prefetch: { patient: { resourceType: 'Patient', id: 'p1' } } }))
    .expect(200);
  return (res.body as { cards: { uuid: string }[] }).cards[0]!.uuid;
}

const accepted = (card: string) => ({
  card,
  outcome: 'accepted',
  acceptedSuggestions: [{ id: randomUUID() }],
  outcomeTimestamp: '2026-11-20T10:00:00Z',
});
const overridden = (card: string, overrideReason: unknown) => ({
  card,
  outcome: 'overridden',
  overrideReason,
  outcomeTimestamp: '2026-11-20T10:00:00Z',
});

async function feedbackRows(card: string): Promise<number> {
  const history = await t.store.findCardHistory({ patientRef: 'Patient/p1' });
  return history.find((h) => h.cardUuid === card)?.feedback.length ?? 0;
}

const expressionsOf = (body: unknown): (string | undefined)[] =>
  (body as { issue: { expression?: string[] }[] }).issue.map((i) => i.expression?.[0]);

describe('feedback', () => {
  it('stores feedback once however often it is sent, joined to the card shown, and answers {}', async () => {
    const card = await showCard();
    const item = overridden(card, {
      reason: { system: 'http://example.org/reasons', code: 'not-relevant', display: 'Not relevant' },
    });
    const res = await sendFeedback({ feedback: [item] }, 200);
    expect(res.body).toEqual({});
    await sendFeedback({ feedback: [item] }, 200);
    const history = await t.store.findCardHistory({
      patientRef: 'Patient/p1',
      serviceId: 'test-patient-view',
    });
    const entry = history.find((h) => h.cardUuid === card);
    expect(entry?.feedback).toHaveLength(1);
    expect(entry?.feedback[0]?.outcome).toBe('overridden');
    expect(entry?.models).toEqual(['test-model@1.0.0']);
  });

  it('accepts an accepted outcome with its suggestions', async () => {
    const card = await showCard();
    await sendFeedback({ feedback: [accepted(card)] }, 200);
    const history = await t.store.findCardHistory({ patientRef: 'Patient/p1' });
    expect(history.find((h) => h.cardUuid === card)?.feedback[0]?.acceptedSuggestions).toHaveLength(1);
  });

  it('tolerates an old client sending overrideReason as a bare Coding without display', async () => {
    const card = await showCard();
    await sendFeedback({ feedback: [overridden(card, { code: 'x', system: 'http://example.org' })] }, 200);
    expect(await feedbackRows(card)).toBe(1);
  });

  it('accepts the cds-hooks sandbox’s reason {code, system} without display, when the card offered it', async () => {
    const card = await showCard();
    await sendFeedback(
      {
        feedback: [
          overridden(card, { reason: { code: 'not-relevant', system: 'http://example.org/reasons' } }),
        ],
      },
      200,
    );
    expect(await feedbackRows(card)).toBe(1);
  });

  it('accepts a userComment alone as the override reason (cds-fb-3)', async () => {
    await sendFeedback(
      { feedback: [overridden(await showCard(), { userComment: 'discussed with patient' })] },
      200,
    );
  });

  const bad: [string, unknown, string][] = [
    [
      'outcome not accepted|overridden (cds-fb-1)',
      { feedback: [{ ...accepted('c'), outcome: 'ignored' }] },
      'feedback[0].outcome',
    ],
    [
      'accepted without acceptedSuggestions (cds-fb-2)',
      { feedback: [{ card: 'c', outcome: 'accepted', outcomeTimestamp: '2026-11-20T10:00:00Z' }] },
      'feedback[0].acceptedSuggestions',
    ],
    [
      'overrideReason with neither reason nor userComment (cds-fb-3)',
      { feedback: [overridden('c', {})] },
      'feedback[0].overrideReason',
    ],
    [
      'outcomeTimestamp not a date-time',
      { feedback: [{ ...accepted('c'), outcomeTimestamp: 'yesterday' }] },
      'feedback[0].outcomeTimestamp',
    ],
    ['no feedback array', { feedbacks: [] }, 'feedback'],
  ];
  for (const [name, body, field] of bad) {
    it(`400 naming the field: ${name}`, async () => {
      const res = await sendFeedback(body, 400);
      expect(
        (res.body as { issue: { expression?: string[] }[] }).issue.map((i) => i.expression?.[0]),
      ).toContain(field);
    });
  }

  it('authenticates with aud = the feedback URL: a token for the service URL is refused', async () => {
    await sendFeedback({ feedback: [accepted('c')] }, 401, FB, '/cds-services/test-patient-view');
  });

  it('404 naming feedback[0].card for a card uuid never issued — the README’s literal <card uuid> too — stores nothing', async () => {
    for (const uuid of ['<card uuid>', randomUUID()]) {
      const res = await sendFeedback({ feedback: [accepted(uuid)] }, 404);
      expect((res.body as { resourceType: string }).resourceType).toBe('OperationOutcome');
      expect(expressionsOf(res.body)).toEqual(['feedback[0].card']);
      expect(res.headers['content-type']).toMatch(/application\/fhir\+json/);
    }
    const rows = await t.store.readAudit({ type: 'feedback' });
    expect(rows.at(-1)?.status).toBe(404);
  });

  it('404 for a card another service issued (feedback posted to the wrong service)', async () => {
    const card = await showCard();
    const path = '/cds-services/test-order-select/feedback';
    const res = await sendFeedback({ feedback: [accepted(card)] }, 404, path);
    expect(expressionsOf(res.body)).toEqual(['feedback[0].card']);
    expect(await feedbackRows(card)).toBe(0);
  });

  it('422 naming the code for an override reason the card did not offer; a batch with one bad item stores none', async () => {
    const card = await showCard();
    const good = overridden(card, { reason: { system: 'http://example.org', code: 'x' } });
    const wrongCode = overridden(card, { reason: { system: 'http://example.org', code: 'made-up' } });
    const wrongSystem = overridden(card, { reason: { system: 'http://other.example', code: 'x' } });
    for (const bad of [wrongCode, wrongSystem]) {
      const res = await sendFeedback(
        { feedback: [good, { ...bad, outcomeTimestamp: '2026-11-21T10:00:00Z' }] },
        422,
      );
      expect(expressionsOf(res.body)).toEqual(['feedback[1].overrideReason.reason.code']);
      expect(JSON.stringify(res.body)).toContain('not-relevant, x');
    }
    expect(await feedbackRows(card)).toBe(0);
    await sendFeedback({ feedback: [good] }, 200);
    await sendFeedback({ feedback: [good] }, 200);
    expect(await feedbackRows(card)).toBe(1);
  });

  it('404 for a card issued to another issuer', async () => {
    const card = await showCard();
    const other = randomUUID();
    await t.store.recordCardsShown([
      {
        cardUuid: other,
        serviceId: 'test-patient-view',
        hookInstance: randomUUID(),
        patientRef: 'Patient/p1',
        cardKey: 'test:seen',
        orderRefs: [],
        models: [],
        shownAt: new Date(),
        iss: 'https://another-ehr.example',
      },
    ]);
    await sendFeedback({ feedback: [accepted(other)] }, 404);
    await sendFeedback({ feedback: [accepted(card)] }, 200);
  });

  it('404 for feedback on an unknown service', async () => {
    await sendFeedback({ feedback: [accepted('c')] }, 404, '/cds-services/nope/feedback');
  });
});
