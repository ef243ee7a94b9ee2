/**
 * Test-only CDS services (never shipped in src/): they exercise the protocol layer until the clinical
 * services exist. Each returns one card describing what it received — counts and ids, no PHI.
 */
import { randomUUID } from 'node:crypto';
import type { CdsService, ResolvedPrefetch, ServiceContext } from '../../src/cds/service.js';
import type { Card } from '../../src/cds/types.js';

function describe(p: ResolvedPrefetch | undefined): string {
  if (p === undefined) return 'absent';
  switch (p.state) {
    case 'resource':
      return `${p.resource.resourceType}(${p.origin})`;
    case 'bundle':
      return `${p.resources.length} resources(${p.origin}${p.complete ? '' : ', partial'})`;
    case 'no-data':
      return `no data(${p.origin})`;
    case 'unavailable':
      return 'unavailable';
  }
}

/** The override reasons every test card offers (feedback naming another code is refused). */
export const TEST_OVERRIDE_REASONS = [
  { system: 'http://example.org/reasons', code: 'not-relevant', display: 'Not relevant' },
  { system: 'http://example.org', code: 'x', display: 'Reason x' },
];

function card(summary: string, detail: string): Card {
  return {
    uuid: randomUUID(),
    summary,
    detail,
    indicator: 'info',
    source: { label: 'Augur protocol test service', url: 'https://example.org/augur-test' },
    overrideReasons: TEST_OVERRIDE_REASONS,
  };
}

export const testPatientView: CdsService = {
  definition: {
    id: 'test-patient-view',
    hook: 'patient-view',
    title: 'Protocol test (patient-view)',
    description: 'Test-only service: reports what prefetch it received.',
    prefetch: {
      patient: { query: 'Patient/{{context.patientId}}', required: true, onMissing: 'fail' },
      conditions: {
        query: 'Condition?patient={{context.patientId}}',
        required: false,
        onMissing: 'omit',
        allPages: true,
      },
    },
  },
  handle(ctx: ServiceContext) {
    const p = ctx.prefetch;
    const detail = `patient: ${describe(p['patient'])}; conditions: ${describe(p['conditions'])}`;
    return Promise.resolve({
      cards: [{ card: card('Protocol test card', detail), key: 'test:seen', models: ['test-model@1.0.0'] }],
    });
  },
};

export const testOrderSelect: CdsService = {
  definition: {
    id: 'test-order-select',
    hook: 'order-select',
    title: 'Protocol test (order-select)',
    description: 'Test-only service: reports the selected draft orders.',
    prefetch: {},
  },
  handle(ctx: ServiceContext) {
    const selections = (ctx.request.context as { selections: string[] }).selections;
    return Promise.resolve({
      cards: [
        {
          card: card(`Selected ${selections.length} order(s)`, selections.join(', ')),
          key: 'test:selected',
          orderRefs: selections,
        },
      ],
    });
  },
};

export const testOrderSign: CdsService = {
  definition: {
    id: 'test-order-sign',
    hook: 'order-sign',
    title: 'Protocol test (order-sign)',
    description: 'Test-only service: answers no guidance.',
    prefetch: {},
  },
  handle: () => Promise.resolve({ cards: [] }),
};

/** A service whose card breaks the spec (summary too long, suggestions without selectionBehavior). */
export const brokenCardService: CdsService = {
  definition: {
    id: 'test-broken-card',
    hook: 'patient-view',
    title: 'Broken',
    description: 'Emits an invalid card.',
    prefetch: {},
  },
  handle: () =>
    Promise.resolve({
      cards: [
        {
          card: { ...card('x'.repeat(140), 'd'), suggestions: [{ label: 'Do it', uuid: randomUUID() }] },
          key: 'test:broken',
        },
      ],
    }),
};

export const TEST_SERVICES: readonly CdsService[] = [
  testPatientView,
  testOrderSelect,
  testOrderSign,
  brokenCardService,
];
