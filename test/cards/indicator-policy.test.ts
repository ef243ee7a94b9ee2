import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INDICATOR_POLICY, SITUATIONS, indicatorFor } from '../../src/cards/indicator-policy.js';

describe('the one indicator policy (cards/indicator-policy.json)', () => {
  it('maps every situation exactly once, each level with its rationale', () => {
    expect(SITUATIONS.map(indicatorFor)).toEqual(['critical', 'warning', 'info', 'info', 'info', 'info']);
    for (const l of INDICATOR_POLICY.levels) expect(l.rationale.length).toBeGreaterThan(40);
  });

  it('a risk alone is never critical; a drafted referral and a drafted statin get the same indicator', () => {
    expect(indicatorFor('action-recommended')).toBe('warning');
    expect(indicatorFor('context')).toBe('info');
    const raw = readFileSync(join(import.meta.dirname, '..', '..', 'cards', 'indicator-policy.json'), 'utf8');
    expect(raw).toContain('24.6 % 5-year kidney-failure risk with a referral draft');
  });
});
