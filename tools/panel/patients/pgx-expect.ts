/**
 * What Augur should show for each CPIC drug given a patient's phenotypes — written from the CPIC
 * tables in the shared reference (pgx.md) and the indicator policy in cards/pgx/guidelines.json, not
 * from Augur's code: the regression suite compares the two.
 */
import { card, cards, none } from '../spec.js';
import type { DraftOrder, Expectation } from '../types.js';

export interface Phenotypes {
  CYP2C19?: string;
  SLCO1B1?: string;
  'HLA-B'?: 'positive' | 'negative';
  TPMT?: string;
  NUDT15?: string;
  DPYD?: string;
  CYP2D6?: string;
  CYP2C9?: string;
}

/** The draft orders the suite sends: [drug, RxNorm code, display, dose mg]. */
export const DRAFTS: readonly [string, string, string, number | undefined][] = [
  ['clopidogrel', '309362', 'clopidogrel 75 MG Oral Tablet', undefined],
  ['simvastatin', '198211', 'simvastatin 40 MG Oral Tablet', undefined],
  ['abacavir', '190521', 'abacavir', undefined],
  ['azathioprine', '1256', 'azathioprine', 100],
  ['mercaptopurine', '103', 'mercaptopurine', 75],
  ['thioguanine', '10485', 'thioguanine', 40],
  ['fluorouracil', '4492', 'fluorouracil', 800],
  ['capecitabine', '194000', 'capecitabine', 1000],
  ['codeine', '2670', 'codeine', 30],
  ['warfarin', '855332', 'warfarin sodium 5 MG Oral Tablet', undefined],
];

const TEST = 'create ServiceRequest snomed:405825005';
const TICAGRELOR = 'update MedicationRequest rxnorm:1116635';
const ROSUVASTATIN = 'update MedicationRequest rxnorm:859747';
const REMOVE = 'delete MedicationRequest';

const finding = (
  drug: string,
  f: string,
  indicator: 'info' | 'warning' | 'critical',
  suggestions: string[],
  why: string,
) => cards(why, card({ card: `pgx-${drug}`, indicator, finding: f, suggestions }));
const untested = (drug: string, genes: string) =>
  finding(drug, `${genes}=untested`, 'info', [TEST], `no ${genes} result on file: suggest the test`);
const standard = (gene: string, p: string) => none(`${gene} ${p}: CPIC standard use, no card`);

function clopidogrel(p: Phenotypes): Expectation {
  const ph = p.CYP2C19;
  if (ph === undefined) return untested('clopidogrel', 'CYP2C19');
  if (ph === 'uninterpretable')
    return finding(
      'clopidogrel',
      'CYP2C19=uninterpretable',
      'warning',
      [],
      'a result is on file but cannot be read: review it before prescribing (never assumed normal)',
    );
  if (['ultrarapid', 'rapid', 'normal'].includes(ph)) return standard('CYP2C19', ph);
  const poor = ph === 'poor' || ph === 'likely-poor';
  return finding(
    'clopidogrel',
    `CYP2C19=${ph}`,
    poor ? 'critical' : 'warning',
    [TICAGRELOR],
    'CPIC: prasugrel or ticagrelor instead (ACS/PCI); the draft becomes ticagrelor',
  );
}

function simvastatin(p: Phenotypes): Expectation {
  const ph = p.SLCO1B1;
  if (ph === undefined) return untested('simvastatin', 'SLCO1B1');
  if (ph === 'increased-function' || ph === 'normal-function') return standard('SLCO1B1', ph);
  return finding(
    'simvastatin',
    `SLCO1B1=${ph}`,
    'warning',
    [ROSUVASTATIN],
    'CPIC: an alternative statin (myopathy risk)',
  );
}

function abacavir(p: Phenotypes): Expectation {
  const ph = p['HLA-B'];
  if (ph === undefined) return untested('abacavir', 'HLA-B');
  if (ph === 'negative') return standard('HLA-B*57:01', 'negative');
  return finding(
    'abacavir',
    'HLA-B=positive',
    'critical',
    [REMOVE],
    'HLA-B*57:01 carrier: abacavir not recommended (hypersensitivity)',
  );
}

function thiopurine(drug: string, p: Phenotypes): Expectation {
  const { TPMT: t, NUDT15: n } = p;
  if (t === undefined || n === undefined) return untested(drug, 'TPMT+NUDT15');
  if (t === 'poor')
    return finding(
      drug,
      'TPMT=poor',
      'critical',
      [REMOVE],
      'TPMT poor metabolizer: avoid or drastically reduce',
    );
  if (n === 'poor')
    return finding(
      drug,
      'NUDT15=poor',
      'critical',
      [REMOVE],
      'NUDT15 poor metabolizer: avoid or drastically reduce',
    );
  if (t === 'intermediate' && n === 'intermediate')
    return finding(
      drug,
      'TPMT=intermediate,NUDT15=intermediate',
      'warning',
      [],
      'both intermediate: start at 20–50 % (no dose suggestion: the range needs the clinician)',
    );
  if (t === 'intermediate')
    return finding(drug, 'TPMT=intermediate', 'warning', [], 'TPMT intermediate: reduced starting dose');
  if (n === 'intermediate')
    return finding(drug, 'NUDT15=intermediate', 'warning', [], 'NUDT15 intermediate: reduced starting dose');
  return standard('TPMT and NUDT15', 'normal');
}

function fluoropyrimidine(drug: string, rxnorm: string, p: Phenotypes): Expectation {
  const ph = p.DPYD;
  if (ph === undefined) return untested(drug, 'DPYD');
  if (ph === 'normal') return standard('DPYD', 'normal');
  if (ph === 'intermediate')
    return finding(
      drug,
      'DPYD=intermediate',
      'critical',
      [`update MedicationRequest rxnorm:${rxnorm}`],
      'DPYD intermediate: start at 50 % (the draft’s dose halved)',
    );
  return finding(drug, 'DPYD=poor', 'critical', [REMOVE], 'DPYD poor metabolizer: avoid fluoropyrimidines');
}

function codeine(p: Phenotypes): Expectation {
  const ph = p.CYP2D6;
  if (ph === undefined) return untested('codeine', 'CYP2D6');
  switch (ph) {
    case 'ultrarapid':
      return finding(
        'codeine',
        'CYP2D6=ultrarapid',
        'critical',
        [REMOVE],
        'ultrarapid: morphine toxicity risk, avoid codeine',
      );
    case 'poor':
      return finding('codeine', 'CYP2D6=poor', 'warning', [REMOVE], 'poor: little analgesia, avoid codeine');
    case 'intermediate':
      return finding(
        'codeine',
        'CYP2D6=intermediate',
        'info',
        [],
        'intermediate: label dosing, a non-tramadol opioid if no response',
      );
    default:
      return standard('CYP2D6', ph);
  }
}

function warfarin(p: Phenotypes, vkorc1Known: boolean): Expectation {
  const ph = p.CYP2C9;
  if (ph === undefined)
    return finding(
      'warfarin',
      'CYP2C9+VKORC1=untested',
      'info',
      [TEST],
      'IWPC clinical estimate and the genotype test',
    );
  const tests = vkorc1Known ? [] : [TEST];
  if (ph === 'poor')
    return finding(
      'warfarin',
      'CYP2C9=poor',
      'warning',
      tests,
      'IWPC pharmacogenetic estimate; CPIC: consider an alternative with CYP2C9 poor metabolism',
    );
  return finding(
    'warfarin',
    `CYP2C9=${ph}`,
    'info',
    tests,
    'IWPC pharmacogenetic dose estimate to review (no dose order)',
  );
}

export function expectFor(drug: string, rxnorm: string, p: Phenotypes, vkorc1Known: boolean): Expectation {
  switch (drug) {
    case 'clopidogrel':
      return clopidogrel(p);
    case 'simvastatin':
      return simvastatin(p);
    case 'abacavir':
      return abacavir(p);
    case 'azathioprine':
    case 'mercaptopurine':
    case 'thioguanine':
      return thiopurine(drug, p);
    case 'fluorouracil':
    case 'capecitabine':
      return fluoropyrimidine(drug, rxnorm, p);
    case 'codeine':
      return codeine(p);
    case 'warfarin':
      return warfarin(p, vkorc1Known);
    default:
      throw new Error(`no CPIC expectation for ${drug}`);
  }
}

/** Every CPIC drug as a draft order, each with its expectation for these phenotypes. */
export function draftOrders(p: Phenotypes, vkorc1Known: boolean): DraftOrder[] {
  return DRAFTS.map(([drug, rxnorm, display, doseMg]) => ({
    id: `draft-${drug}`,
    drug,
    rxnorm,
    display,
    ...(doseMg === undefined ? {} : { doseMg }),
    expect: expectFor(drug, rxnorm, p, vkorc1Known),
  }));
}
