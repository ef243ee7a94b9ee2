import { describe, expect, it } from 'vitest';
import { responseViolations } from '../../src/cds/card-invariants.js';

const U = '9f0f5a0e-1c2b-4d3e-8f4a-5b6c7d8e9f00';
const U2 = '1a2b3c4d-1c2b-4d3e-8f4a-5b6c7d8e9f00';
const card = (extra: Record<string, unknown> = {}) => ({
  uuid: U,
  summary: 'Risk 14.2 %',
  indicator: 'info',
  source: { label: 'Augur' },
  ...extra,
});
const suggestion = (extra: Record<string, unknown> = {}) => ({
  label: 'Order lipid panel',
  uuid: U2,
  actions: [{ type: 'create', description: 'Create', resource: { resourceType: 'ServiceRequest' } }],
  ...extra,
});

describe('card invariants', () => {
  it('a valid card and {"cards": []} pass', () => {
    expect(responseViolations({ cards: [] })).toEqual([]);
    expect(
      responseViolations({
        cards: [
          card({
            suggestions: [suggestion()],
            selectionBehavior: 'at-most-one',
            links: [{ label: 'Open', url: 'https://a.example/launch', type: 'smart', appContext: 'r1' }],
            overrideReasons: [{ code: 'x', display: 'X' }],
          }),
        ],
      }),
    ).toEqual([]);
  });

  const bad: [string, unknown, string][] = [
    ['summary of 140 characters', card({ summary: 'x'.repeat(140) }), 'summary: 140 characters'],
    ['no indicator', card({ indicator: 'urgent' }), 'indicator'],
    ['no source label', card({ source: {} }), 'source.label'],
    ['no uuid', card({ uuid: undefined }), 'uuid'],
    [
      'suggestions without selectionBehavior (cds-resp-6)',
      card({ suggestions: [suggestion()] }),
      'cds-resp-6',
    ],
    [
      'two recommended with at-most-one (cds-resp-1)',
      card({
        selectionBehavior: 'at-most-one',
        suggestions: [suggestion({ isRecommended: true }), suggestion({ isRecommended: true, uuid: U })],
      }),
      'cds-resp-1',
    ],
    [
      'action without description (cds-resp-5)',
      card({
        selectionBehavior: 'any',
        suggestions: [suggestion({ actions: [{ type: 'create', resource: { resourceType: 'X' } }] })],
      }),
      'cds-resp-5',
    ],
    [
      'delete with a resource (cds-resp-2)',
      card({
        selectionBehavior: 'any',
        suggestions: [
          suggestion({ actions: [{ type: 'delete', description: 'd', resource: { resourceType: 'X' } }] }),
        ],
      }),
      'cds-resp-2',
    ],
    [
      'delete without resourceId (cds-resp-2)',
      card({
        selectionBehavior: 'any',
        suggestions: [suggestion({ actions: [{ type: 'delete', description: 'd' }] })],
      }),
      'resourceId',
    ],
    [
      'appContext on an absolute link (cds-resp-3)',
      card({ links: [{ label: 'l', url: 'https://a.example', type: 'absolute', appContext: 'x' }] }),
      'cds-resp-3',
    ],
    [
      'override reason without display (cds-resp-4)',
      card({ overrideReasons: [{ code: 'x' }] }),
      'cds-resp-4',
    ],
    [
      'suggestion without uuid',
      card({ selectionBehavior: 'any', suggestions: [suggestion({ uuid: undefined })] }),
      'suggestions[0].uuid',
    ],
    ['an empty optional string', card({ detail: '' }), 'empty value'],
    ['an empty optional array', card({ links: [] }), 'empty array'],
    ['raw HTML in detail', card({ detail: 'see <script>x</script>' }), 'raw HTML'],
    ['a relative link URL', card({ links: [{ label: 'l', url: '/x', type: 'absolute' }] }), 'absolute URL'],
  ];
  for (const [name, c, message] of bad) {
    it(`catches ${name}`, () => {
      expect(responseViolations({ cards: [c] }).join('\n')).toContain(message);
    });
  }

  it('counts characters, not UTF-16 units: 139 astral characters pass', () => {
    expect(responseViolations({ cards: [card({ summary: '𝑥'.repeat(139) })] })).toEqual([]);
  });
});
