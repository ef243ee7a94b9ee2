/**
 * The PGx data files load and validate; a broken file stops start-up naming the file and field; the
 * cross-file checks catch a guideline that names an unknown phenotype or alternative; every summary
 * the card templates can produce fits in 139 characters.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cardsDir, render } from '../../src/cards/data.js';
import { SUMMARY_MAX } from '../../src/cards/build.js';
import { loadPgxTables } from '../../src/services/pgx/load.js';
import { tables } from './helpers.js';

function brokenCopy(file: string, edit: (json: Record<string, unknown>) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'pgx-data-'));
  cpSync(join(cardsDir(), 'pgx'), dir, { recursive: true });
  const json = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
  edit(json);
  writeFileSync(join(dir, file), JSON.stringify(json));
  return dir;
}

describe('cards/pgx data files', () => {
  it('load, with every covered drug and gene', () => {
    expect([...tables.guidelines.keys()].sort()).toEqual([
      'abacavir',
      'azathioprine',
      'capecitabine',
      'clopidogrel',
      'codeine',
      'fluorouracil',
      'mercaptopurine',
      'simvastatin',
      'thioguanine',
      'warfarin',
    ]);
    expect([...tables.genes.keys()].sort()).toEqual([
      'CYP2C19',
      'CYP2C9',
      'CYP2D6',
      'DPYD',
      'HLA-B',
      'NUDT15',
      'SLCO1B1',
      'TPMT',
      'VKORC1',
    ]);
    // Every guideline records its version and date, and what was and was not verified.
    for (const g of tables.guidelines.values()) expect(g.guidelineDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(tables.files.guidelines.verification.notVerified.length).toBeGreaterThan(0);
  });

  it('a schema error names the file and the field', () => {
    const dir = brokenCopy('guidelines.json', (j) => {
      const g = (j['guidelines'] as { rows: { strength: string }[] }[])[0];
      if (g?.rows[0] !== undefined) g.rows[0].strength = 'very strong';
    });
    expect(() => loadPgxTables(dir)).toThrow(/guidelines\.json: guidelines\[0\]\.rows\[0\]\.strength/);
  });

  it('a guideline naming an unknown phenotype or alternative is refused at load', () => {
    const dir = brokenCopy('guidelines.json', (j) => {
      const g = (j['guidelines'] as { rows: { when: Record<string, string[]>; action?: unknown }[] }[])[0];
      if (g?.rows[1] !== undefined) {
        g.rows[1].when = { CYP2C19: ['slow'] };
        g.rows[1].action = { kind: 'replace', alternatives: ['aspirin-81'] };
      }
    });
    expect(() => loadPgxTables(dir)).toThrow(
      /rows\[1\]\.when\.CYP2C19: unknown phenotype "slow"[\s\S]*"aspirin-81" is not in drugs\.json/,
    );
  });

  it('every finding summary fits in 139 characters', () => {
    const c = tables.files.cards.summaries;
    const drug = (d: string): string => d.charAt(0).toUpperCase() + d.slice(1);
    const longest: string[] = [];
    for (const g of tables.guidelines.values()) {
      const labels = g.genes.map((s) =>
        Math.max(...(tables.genes.get(s)?.phenotypes.map((p) => p.label.length) ?? [0])),
      );
      for (const row of g.rows.filter((r) => r.actionable))
        longest.push(
          render(c.finding, {
            drug: drug(g.drug),
            gene: g.genes.join(' + '),
            phenotype: labels.map((n) => 'x'.repeat(n)).join(' + '),
            short: row.short ?? '',
          }),
        );
      longest.push(render(c.untested, { drug: drug(g.drug), genes: g.genes.join(' + ') }));
      longest.push(render(c.uninterpretable, { drug: drug(g.drug), gene: g.genes.join(' + ') }));
      longest.push(render(c.unavailable, { drug: drug(g.drug), genes: g.genes.join(' + ') }));
    }
    longest.push(render(c.warfarin, { algorithm: 'pharmacogenetic', weekly: '100.0', daily: '14.29' }));
    expect(longest.filter((s) => s.length > SUMMARY_MAX)).toEqual([]);
  });
});
