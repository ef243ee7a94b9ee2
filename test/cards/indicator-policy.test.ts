import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  INDICATOR_POLICY,
  SITUATIONS,
  indicatorFor,
  type Situation,
} from '../../src/cards/indicator-policy.js';

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

describe('every service applies the one policy: its card data names situations, never indicators', () => {
  const read = (...p: string[]): unknown =>
    JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'cards', ...p), 'utf8'));
  /** Every `indicator` key anywhere in a JSON value, with its path. */
  const indicatorKeys = (v: unknown, path = ''): string[] =>
    Array.isArray(v)
      ? v.flatMap((x, i) => indicatorKeys(x, `${path}[${String(i)}]`))
      : typeof v === 'object' && v !== null
        ? Object.entries(v).flatMap(([k, x]) => [
            ...(k === 'indicator' ? [`${path}.${k}`] : []),
            ...indicatorKeys(x, `${path}.${k}`),
          ])
        : [];

  it('cardiovascular: every statin rule is action-recommended → warning; the bands (no draft) are context → info', () => {
    const cv = read('cardiovascular.json') as {
      statin: { rules: { id: string; situation: Situation }[] };
      severeLdl: { situation: Situation };
      pce: { bands: { indicator: string }[] };
    };
    expect(cv.statin.rules.map((r) => [r.id, indicatorFor(r.situation)])).toEqual([
      ['severe-ldl', 'warning'],
      ['diabetes-high-risk', 'warning'],
      ['diabetes', 'warning'],
      ['pce-high', 'warning'],
      ['pce-intermediate', 'warning'],
    ]);
    expect(indicatorFor(cv.severeLdl.situation)).toBe('info');
    // Bands keep the shared band schema's field; it must say what the policy says for context.
    expect(new Set(cv.pce.bands.map((b) => b.indicator))).toEqual(new Set([indicatorFor('context')]));
    expect(indicatorKeys(cv).every((p) => p.startsWith('.pce.bands['))).toBe(true);
  });

  it('atrial fibrillation: recommended → warning, considered → info, HAS-BLED modifiable factors → warning', () => {
    const af = read('atrial-fibrillation.json') as {
      anticoagulation: { bands: Record<'recommended' | 'considered', { situation: Situation }> };
      bleeding: { situation: Situation };
    };
    expect(indicatorFor(af.anticoagulation.bands.recommended.situation)).toBe('warning');
    expect(indicatorFor(af.anticoagulation.bands.considered.situation)).toBe('info');
    expect(indicatorFor(af.bleeding.situation)).toBe('warning');
    expect(indicatorKeys(af)).toEqual([]);
  });

  it('pharmacogenomics: CPIC rows name situations (avoid → harm-if-given → critical)', () => {
    const g = read('pgx', 'guidelines.json');
    expect(indicatorKeys(g)).toEqual([]);
    const rows = JSON.stringify(g).match(/"situation":"[a-z-]+"/g) ?? [];
    const counts: Record<string, number> = {};
    for (const r of rows) {
      const ind = indicatorFor(r.slice('"situation":"'.length, -1) as Situation);
      counts[ind] = (counts[ind] ?? 0) + 1;
    }
    expect(counts).toEqual({ critical: 19, warning: 14, info: 1 });
  });
});
