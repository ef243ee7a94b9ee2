/**
 * Table-driven: every diplotype example of every CPIC gene table maps to its phenotype, every guideline
 * row is reached by a patient with that phenotype, and unknown / uninterpretable results never become
 * normal. Test names carry the guideline citation. Anchors (explicit expectations written from the
 * guideline text, not from the data file) make a wrong table fail.
 */
import { describe, expect, it } from 'vitest';
import { geneStatus } from '../../src/pgx/results.js';
import { findingKey, recommend } from '../../src/pgx/recommend.js';
import { genotype, phenotypeObs, tables, type Gene } from './helpers.js';
import { aGenotype } from '../support/fhir-builders.js';

const cite = (drug: string): string => {
  const g = tables.guidelines.get(drug);
  return `${g?.citation.text.split('.')[0] ?? ''} ${g?.guidelineVersion ?? ''}`;
};

describe.each([...tables.guidelines.values()].filter((g) => g.drug !== 'warfarin'))('$drug — CPIC', (g) => {
  for (const gene of g.genes) {
    const table = tables.genes.get(gene);
    if (table === undefined) throw new Error(gene);
    for (const p of table.phenotypes)
      it.each(p.examples)(`${gene} %s → ${p.id} (${cite(g.drug)})`, (example) => {
        const s = geneStatus(tables, gene, [genotype(gene as Gene, example)]);
        expect(s).toMatchObject({ status: 'known', phenotype: p.id, basis: 'genotype' });
      });
  }

  it.each(g.rows.map((r, i) => [i, r] as const))(`row %i: %o (${cite(g.drug)})`, (_i, row) => {
    // A patient whose genes have the row's first phenotype (first example diplotype; score rows pick it).
    const resources = Object.entries(row.when).map(([gene, ids]) => {
      const table = tables.genes.get(gene);
      const wanted = row.scores?.[gene];
      const phenotype = ids[0] ?? '';
      // Scores taken by earlier rows for this phenotype: a row without scores is reached by the others.
      const earlier = g.rows
        .slice(0, g.rows.indexOf(row))
        .filter((r) => r.when[gene]?.includes(phenotype) === true)
        .flatMap((r) => r.scores?.[gene] ?? []);
      const examples = table?.phenotypes.find((p) => p.id === phenotype)?.examples ?? [];
      const pick = examples.find((e) => {
        const s = geneStatus(tables, gene, [genotype(gene as Gene, e)]);
        if (s.status !== 'known') return false;
        return wanted === undefined
          ? s.activityScore === undefined || !earlier.includes(s.activityScore)
          : s.activityScore !== undefined && wanted.includes(s.activityScore);
      });
      if (pick !== undefined) return genotype(gene as Gene, pick);
      // Only a reported phenotype (no activity score) reaches this row.
      const answer = tables.files.bindings.answers.find((a) => a.phenotype === phenotype)?.code;
      if (answer === undefined) throw new Error(`no example for ${gene} ${phenotype}`);
      return phenotypeObs(gene as Gene, answer, phenotype);
    });
    const f = recommend(tables, g.drug, resources);
    if (f === undefined || (f.kind !== 'actionable' && f.kind !== 'normal'))
      throw new Error(`no row: ${String(f?.kind)}`);
    expect(f.row).toBe(row);
    expect(f.kind).toBe(row.actionable ? 'actionable' : 'normal');
  });

  it(`no result on file → untested, with the test's rationale (${cite(g.drug)})`, () => {
    const f = recommend(tables, g.drug, []);
    expect(f).toMatchObject({ kind: 'untested', missing: g.genes });
    expect(f && findingKey(f)).toBe(`pgx:${g.drug}:${g.genes.join('+')}=untested`);
  });

  it(`an uninterpretable result is flagged, never normal (${cite(g.drug)})`, () => {
    const resources = g.genes.map((gene) =>
      aGenotype({ shape: 'legacy', gene: gene as Gene, value: 'see report' }),
    );
    const f = recommend(tables, g.drug, resources);
    expect(f?.kind).toBe('uninterpretable');
    if (f?.kind === 'uninterpretable') expect(f.reasons.join(' ')).toMatch(/not interpretable/);
  });
});

describe('anchors written from the guideline text', () => {
  const run = (drug: string, ...obs: Parameters<typeof recommend>[2]) => recommend(tables, drug, obs);

  it('clopidogrel CYP2C19 *2/*2 poor → avoid, prasugrel/ticagrelor, strong (Lee 2022 Table 2)', () => {
    const f = run('clopidogrel', genotype('CYP2C19', '*2/*2'));
    expect(f).toMatchObject({ kind: 'actionable', row: { strength: 'strong', situation: 'harm-if-given' } });
    if (f?.kind === 'actionable')
      expect(f.row.recommendation).toMatch(/Avoid clopidogrel.*prasugrel or ticagrelor/);
    expect(f && findingKey(f)).toBe('pgx:clopidogrel:CYP2C19=poor');
  });

  it('clopidogrel *1/*17 rapid and *17/*17 ultrarapid keep standard dose (Lee 2022)', () => {
    expect(run('clopidogrel', genotype('CYP2C19', '*17/*1'))?.kind).toBe('normal');
    expect(run('clopidogrel', genotype('CYP2C19', '*17/*17'))?.kind).toBe('normal');
    expect(run('clopidogrel', genotype('CYP2C19', '*2/*17'))?.kind).toBe('actionable');
  });

  it('simvastatin SLCO1B1 *1/*5 decreased → alternative or < 20 mg/day; *5/*15 poor → alternative (Cooper-DeHoff 2022)', () => {
    const dec = run('simvastatin', genotype('SLCO1B1', '*1/*5'));
    if (dec?.kind !== 'actionable') throw new Error(String(dec?.kind));
    expect(dec.row.recommendation).toMatch(/< 20 mg\/day/);
    const poor = run('simvastatin', genotype('SLCO1B1', '*5/*15'));
    if (poor?.kind !== 'actionable') throw new Error(String(poor?.kind));
    expect(poor.row.recommendation).not.toMatch(/20 mg/);
  });

  it('abacavir: HLA-B*57:01 positive → not recommended, critical; negative → no change (Martin 2012)', () => {
    expect(run('abacavir', genotype('HLA-B', '*57:01/*07:02'))).toMatchObject({
      kind: 'actionable',
      row: { situation: 'harm-if-given' },
    });
    expect(
      run('abacavir', aGenotype({ shape: 'legacy', gene: 'HLA-B', value: 'HLA-B*57:01 positive' }))?.kind,
    ).toBe('actionable');
    expect(run('abacavir', aGenotype({ shape: 'legacy', gene: 'HLA-B', value: 'not detected' }))?.kind).toBe(
      'normal',
    );
    expect(run('abacavir', genotype('HLA-B', '*44:02/*07:02'))?.kind).toBe('normal');
  });

  it('thiopurines: TPMT IM + NUDT15 IM → 20–50 % (CPIC 2024 update); TPMT IM alone → 30–80 %, NUDT15 untested is named', () => {
    const both = run('azathioprine', genotype('TPMT', '*1/*3A'), genotype('NUDT15', '*1/*3'));
    if (both?.kind !== 'actionable') throw new Error(String(both?.kind));
    expect(both.row.recommendation).toMatch(/20–50 %/);
    const tpmt = run('mercaptopurine', genotype('TPMT', '*1/*3A'));
    if (tpmt?.kind !== 'actionable') throw new Error(String(tpmt?.kind));
    expect(tpmt.row.recommendation).toMatch(/30–80 %/);
    expect(tpmt.genes.find((s) => s.gene === 'NUDT15')?.status).toBe('untested');
    const thioguanine = run('thioguanine', genotype('NUDT15', '*1/*2'));
    if (thioguanine?.kind !== 'actionable') throw new Error(String(thioguanine?.kind));
    expect(thioguanine.row.recommendation).toMatch(/50–80 %/);
    // TPMT normal but NUDT15 never tested: not "normal" — the missing gene is the finding.
    expect(run('azathioprine', genotype('TPMT', '*1/*1'))).toMatchObject({
      kind: 'untested',
      missing: ['NUDT15'],
    });
  });

  it('DPYD activity score 1 → 50 % strong, 1.5 → 50 % moderate, 0.5 → avoid (Amstutz 2018 + CPIC update)', () => {
    const as1 = run('capecitabine', genotype('DPYD', 'Reference/c.1905+1G>A'));
    expect(as1).toMatchObject({
      kind: 'actionable',
      row: { strength: 'strong', action: { kind: 'dose', factor: 0.5 } },
    });
    const as15 = run('fluorouracil', genotype('DPYD', 'c.2846A>T/Reference'));
    expect(as15).toMatchObject({ kind: 'actionable', row: { strength: 'moderate' } });
    if (as15?.kind === 'actionable') expect(as15.matched[0]?.activityScore).toBe(1.5);
    const as05 = run('fluorouracil', genotype('DPYD', 'c.1905+1G>A/c.2846A>T'));
    expect(as05).toMatchObject({ kind: 'actionable', row: { action: { kind: 'cancel' } } });
    expect(run('capecitabine', genotype('DPYD', 'Reference/Reference'))?.kind).toBe('normal');
  });

  it('codeine CYP2D6: *1x2/*1 ultrarapid and *4/*4 poor → avoid; *1/*4 intermediate → label dosing (Crews 2021)', () => {
    expect(run('codeine', genotype('CYP2D6', '*1x2/*1'))).toMatchObject({
      kind: 'actionable',
      matched: [{ activityScore: 3 }],
    });
    expect(run('codeine', genotype('CYP2D6', '*4/*4'))).toMatchObject({
      kind: 'actionable',
      matched: [{ phenotype: 'poor' }],
    });
    const im = run('codeine', genotype('CYP2D6', '*1/*4'));
    expect(im).toMatchObject({
      kind: 'actionable',
      row: { situation: 'action-to-consider', strength: 'moderate' },
    });
    expect(im?.kind === 'actionable' && im.row.action).toBeUndefined();
    // Copy number not reported for a functional allele: cannot score.
    expect(run('codeine', genotype('CYP2D6', '*1xN/*4'))?.kind).toBe('uninterpretable');
  });
});

describe('results on file', () => {
  it('a reported phenotype (IG therapeutic implication, 53040-2 LA answer) is used when there is no diplotype', () => {
    const s = geneStatus(tables, 'CYP2C19', [phenotypeObs('CYP2C19', 'LA9657-3', 'Poor metabolizer', 'ph1')]);
    expect(s).toMatchObject({
      status: 'known',
      phenotype: 'poor',
      basis: 'phenotype',
      source: 'Observation/ph1',
    });
  });

  it('legacy CPIC phenotype LOINC 79713-4 (TPMT) valued with an LA answer', () => {
    const s = geneStatus(tables, 'TPMT', [
      aGenotype({
        shape: 'phenotype',
        loinc: '79713-4',
        answer: 'LA10317-8',
        display: 'Intermediate metabolizer',
      }),
    ]);
    expect(s).toMatchObject({ status: 'known', phenotype: 'intermediate', basis: 'phenotype' });
  });

  it('an allele outside the table is uninterpretable with the reason, never normal', () => {
    const s = geneStatus(tables, 'CYP2C19', [genotype('CYP2C19', '*1/*35')]);
    expect(s.status).toBe('uninterpretable');
    expect(s.warnings.join(' ')).toMatch(/\*35 is not in Augur's CPIC table/);
  });

  it('a newer unreadable result is a warning over an older readable one; disagreement is named', () => {
    const old = genotype('CYP2C19', '*1/*1', { id: 'old', date: '2019-01-01' });
    const bad = aGenotype({ shape: 'legacy', gene: 'CYP2C19', value: '??', id: 'bad', date: '2024-01-01' });
    const s = geneStatus(tables, 'CYP2C19', [old, bad]);
    expect(s).toMatchObject({ status: 'known', phenotype: 'normal' });
    expect(s.warnings.join(' ')).toMatch(/newer CYP2C19 result could not be interpreted/);
    const poor = phenotypeObs('CYP2C19', 'LA9657-3', 'Poor metabolizer', 'ph2');
    const conflict = geneStatus(tables, 'CYP2C19', [old, poor]);
    expect(conflict.warnings.join(' ')).toMatch(/disagree/);
  });

  it('entered-in-error results are ignored', () => {
    const eie = aGenotype({
      shape: 'ig',
      gene: 'CYP2C19',
      value: 'CYP2C19 *2/*2',
      status: 'entered-in-error',
    });
    expect(geneStatus(tables, 'CYP2C19', [eie]).status).toBe('untested');
  });
});
