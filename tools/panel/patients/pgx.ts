/**
 * Pharmacogenomics panel: seven patients whose results together give every phenotype class of every
 * gene in cards/pgx/genes.json (CYP2C19, SLCO1B1, TPMT, NUDT15, DPYD, CYP2D6, CYP2C9, VKORC1, HLA-B)
 * at least once — HLA-B*57:01 positive among them — in the three result shapes charts hold; a patient
 * with no results and one with a genotype Augur cannot interpret. Each gets every CPIC drug as a draft
 * order; some take an affected drug already (patient-view).
 */
import type { Chart } from '../chart.js';
import type { Ethnicity, Race } from '../codes.js';
import type { GenotypeOptions } from '../genomics.js';
import { card, cards, none, type PatientSpec } from '../spec.js';
import type { Expectation } from '../types.js';
import { DRUG, problem, takes, workup } from './common.js';
import { DRAFTS, draftOrders, expectFor, type Phenotypes } from './pgx-expect.js';

interface PgxPatient {
  id: string;
  name: [string, string];
  gender: 'female' | 'male';
  age: number;
  race: Race[];
  ethnicity?: Ethnicity;
  results: GenotypeOptions[];
  phenotypes: Phenotypes;
  /** An affected drug the patient already takes, and the patient-view card it gives. */
  takes?: { rxnorm: string; display: string; problem?: Parameters<typeof problem>[1]; expect: Expectation };
  extra?: (c: Chart) => void;
  covers: string[];
}

const ig = (gene: GenotypeOptions['gene'], value: string): GenotypeOptions => ({ shape: 'ig', gene, value });
const legacy = (gene: GenotypeOptions['gene'], value: string): GenotypeOptions => ({
  shape: 'legacy',
  gene,
  value,
});

const pv = (why: string, indicator: 'info' | 'warning' | 'critical', finding: string): Expectation =>
  cards(why, card({ card: 'pgx', indicator, finding, suggestions: [] }));

const PATIENTS: PgxPatient[] = [
  {
    id: 'augur-pgx-a',
    name: ['Amy', 'Zhang'],
    gender: 'female',
    age: 34,
    race: ['asian'],
    results: [
      ig('CYP2C19', '*17/*17'),
      ig('SLCO1B1', '*1/*14'),
      ig('TPMT', '*1/*1'),
      ig('NUDT15', '*1/*1'),
      ig('DPYD', 'Reference/Reference'),
      ig('CYP2D6', '*1x2/*1'),
      ig('CYP2C9', '*1/*1'),
      ig('VKORC1', 'G/G'),
      ig('HLA-B', '*07:02/*44:02'),
    ],
    phenotypes: {
      CYP2C19: 'ultrarapid',
      SLCO1B1: 'increased-function',
      TPMT: 'normal',
      NUDT15: 'normal',
      DPYD: 'normal',
      CYP2D6: 'ultrarapid',
      CYP2C9: 'normal',
      'HLA-B': 'negative',
    },
    takes: {
      rxnorm: DRUG.simvastatin40[0],
      display: DRUG.simvastatin40[1],
      expect: none('simvastatin with SLCO1B1 increased function: standard use, no card'),
    },
    covers: [
      'CYP2C19 ultrarapid',
      'SLCO1B1 increased function',
      'CYP2D6 ultrarapid (gene duplication)',
      'DPYD normal',
      'CYP2C9 normal',
      'VKORC1 G/G',
      'HLA-B*57:01 negative',
      'Genomics Reporting IG genotype shape',
    ],
  },
  {
    id: 'augur-pgx-b',
    name: ['Ben', 'Okafor'],
    gender: 'male',
    age: 41,
    race: ['white'],
    results: [
      ig('CYP2C19', '*1/*17'),
      ig('SLCO1B1', '*1/*1'),
      legacy('TPMT', 'TPMT *1/*3A'),
      ig('NUDT15', '*1/*1'),
      ig('DPYD', 'Reference/c.2846A>T'),
      ig('CYP2D6', '*1/*1'),
      ig('CYP2C9', '*1/*3'),
      legacy('VKORC1', 'rs9923231 C/T'),
      ig('HLA-B', '*57:01/*07:02'),
    ],
    phenotypes: {
      CYP2C19: 'rapid',
      SLCO1B1: 'normal-function',
      TPMT: 'intermediate',
      NUDT15: 'normal',
      DPYD: 'intermediate',
      CYP2D6: 'normal',
      CYP2C9: 'intermediate',
      'HLA-B': 'positive',
    },
    takes: {
      rxnorm: '190521',
      display: 'abacavir',
      problem: 'hiv',
      expect: pv('active abacavir in an HLA-B*57:01 carrier', 'critical', 'HLA-B=positive'),
    },
    covers: [
      'CYP2C19 rapid',
      'SLCO1B1 normal function',
      'TPMT intermediate (legacy valueString shape)',
      'DPYD intermediate, activity score 1.5',
      'CYP2D6 normal',
      'CYP2C9 intermediate',
      'VKORC1 A/G written as genomic C/T',
      'HLA-B*57:01 positive',
    ],
  },
  {
    id: 'augur-pgx-c',
    name: ['Chloe', 'Banks'],
    gender: 'female',
    age: 47,
    race: ['black'],
    results: [
      ig('CYP2C19', '*1/*1'),
      ig('SLCO1B1', '*1/*5'),
      ig('TPMT', '*1/*1'),
      ig('NUDT15', '*1/*3'),
      ig('DPYD', 'Reference/c.1905+1G>A'),
      ig('CYP2D6', '*1/*4'),
      ig('CYP2C9', '*3/*3'),
      ig('VKORC1', 'A/A'),
      ig('HLA-B', '*07:02/*44:02'),
    ],
    phenotypes: {
      CYP2C19: 'normal',
      SLCO1B1: 'decreased-function',
      TPMT: 'normal',
      NUDT15: 'intermediate',
      DPYD: 'intermediate',
      CYP2D6: 'intermediate',
      CYP2C9: 'poor',
      'HLA-B': 'negative',
    },
    takes: {
      rxnorm: DRUG.codeine30[0],
      display: DRUG.codeine30[1],
      problem: 'osteoarthritis',
      expect: pv('active codeine with CYP2D6 intermediate metabolism', 'info', 'CYP2D6=intermediate'),
    },
    covers: [
      'CYP2C19 normal',
      'SLCO1B1 decreased function',
      'NUDT15 intermediate',
      'DPYD intermediate, activity score 1',
      'CYP2D6 intermediate',
      'CYP2C9 poor',
      'VKORC1 A/A',
    ],
  },
  {
    id: 'augur-pgx-d',
    name: ['Dmitri', 'Volkov'],
    gender: 'male',
    age: 52,
    race: ['white'],
    results: [
      ig('CYP2C19', '*1/*9'),
      ig('SLCO1B1', '*5/*5'),
      { shape: 'phenotype', gene: 'TPMT', loinc: '79713-4', answer: ['LA9657-3', 'Poor metabolizer'] },
      ig('NUDT15', '*1/*1'),
      ig('DPYD', 'c.1905+1G>A/c.2846A>T'),
      ig('CYP2D6', '*4/*4'),
      ig('CYP2C9', '*1/*2'),
      ig('VKORC1', 'G/G'),
      ig('HLA-B', '*07:02/*44:02'),
    ],
    phenotypes: {
      CYP2C19: 'likely-intermediate',
      SLCO1B1: 'poor-function',
      TPMT: 'poor',
      NUDT15: 'normal',
      DPYD: 'poor',
      CYP2D6: 'poor',
      CYP2C9: 'intermediate',
      'HLA-B': 'negative',
    },
    takes: {
      rxnorm: DRUG.simvastatin40[0],
      display: DRUG.simvastatin40[1],
      expect: pv('active simvastatin with SLCO1B1 poor function', 'warning', 'SLCO1B1=poor-function'),
    },
    covers: [
      'CYP2C19 likely intermediate (*9)',
      'SLCO1B1 poor function',
      'TPMT poor (phenotype-only shape, LOINC 79713-4)',
      'DPYD poor, activity score 0.5',
      'CYP2D6 poor',
    ],
  },
  {
    id: 'augur-pgx-e',
    name: ['Elena', 'Ruiz'],
    gender: 'female',
    age: 38,
    race: ['white'],
    ethnicity: 'hispanic',
    results: [
      ig('CYP2C19', '*1/*2'),
      ig('SLCO1B1', '*1/*1'),
      ig('TPMT', '*1/*2'),
      ig('NUDT15', '*1/*2'),
      ig('DPYD', 'c.1905+1G>A/c.1905+1G>A'),
      ig('CYP2D6', '*1/*1'),
      { shape: 'phenotype', gene: 'CYP2C9', loinc: '79716-7', answer: ['LA25391-6', 'Normal metabolizer'] },
      ig('VKORC1', 'A/G'),
      ig('HLA-B', '*07:02/*44:02'),
    ],
    phenotypes: {
      CYP2C19: 'intermediate',
      SLCO1B1: 'normal-function',
      TPMT: 'intermediate',
      NUDT15: 'intermediate',
      DPYD: 'poor',
      CYP2D6: 'normal',
      CYP2C9: 'normal',
      'HLA-B': 'negative',
    },
    takes: {
      rxnorm: '1256',
      display: 'azathioprine',
      problem: 'crohns',
      expect: pv(
        'active azathioprine, TPMT and NUDT15 both intermediate',
        'warning',
        'TPMT=intermediate,NUDT15=intermediate',
      ),
    },
    covers: [
      'CYP2C19 intermediate',
      'TPMT and NUDT15 both intermediate (20–50 %)',
      'DPYD poor, activity score 0',
      'CYP2C9 normal (phenotype-only shape, LOINC 79716-7)',
    ],
  },
  {
    id: 'augur-pgx-f',
    name: ['Farid', 'Haddad'],
    gender: 'male',
    age: 45,
    race: ['asian'],
    results: [
      ig('CYP2C19', '*2/*9'),
      ig('SLCO1B1', '*1/*14'),
      ig('TPMT', '*1/*1'),
      ig('NUDT15', '*3/*3'),
      ig('DPYD', 'Reference/Reference'),
      ig('CYP2D6', '*10/*10'),
      ig('CYP2C9', '*2/*3'),
      ig('VKORC1', 'A/A'),
      legacy('HLA-B', 'HLA-B*57:01/HLA-B*44:02'),
    ],
    phenotypes: {
      CYP2C19: 'likely-poor',
      SLCO1B1: 'increased-function',
      TPMT: 'normal',
      NUDT15: 'poor',
      DPYD: 'normal',
      CYP2D6: 'intermediate',
      CYP2C9: 'poor',
      'HLA-B': 'positive',
    },
    covers: [
      'CYP2C19 likely poor (*2/*9)',
      'NUDT15 poor',
      'CYP2D6 intermediate (*10/*10, activity 0.5)',
      'CYP2C9 poor (*2/*3)',
      'HLA-B*57:01 positive (legacy shape)',
    ],
  },
  {
    id: 'augur-pgx-g',
    name: ['George', 'Pollard'],
    gender: 'male',
    age: 58,
    race: ['white'],
    results: [
      ig('CYP2C19', '*2/*2'),
      ig('SLCO1B1', '*1/*5'),
      ig('TPMT', '*1/*1'),
      ig('NUDT15', '*1/*1'),
      ig('DPYD', 'Reference/Reference'),
      ig('CYP2D6', '*1/*2x2'),
      ig('CYP2C9', '*1/*1'),
      ig('VKORC1', 'G/G'),
      ig('HLA-B', '*07:02/*44:02'),
    ],
    phenotypes: {
      CYP2C19: 'poor',
      SLCO1B1: 'decreased-function',
      TPMT: 'normal',
      NUDT15: 'normal',
      DPYD: 'normal',
      CYP2D6: 'ultrarapid',
      CYP2C9: 'normal',
      'HLA-B': 'negative',
    },
    takes: {
      rxnorm: DRUG.clopidogrel75[0],
      display: DRUG.clopidogrel75[1],
      problem: 'oldMi',
      expect: pv('active clopidogrel in a CYP2C19 poor metabolizer after an MI', 'critical', 'CYP2C19=poor'),
    },
    covers: [
      'CYP2C19 poor',
      'active clopidogrel after MI (patient-view critical)',
      'known ASCVD (cardiovascular out of population)',
    ],
  },
];

function cvReason(p: PgxPatient): string {
  if (p.takes?.problem === 'oldMi') return 'known ASCVD (old MI): outside the primary-prevention models';
  if (p.takes?.rxnorm === DRUG.simvastatin40[0]) return 'on a statin (simvastatin): no risk card';
  return p.age < 40
    ? 'age < 40: the PCE does not apply; PREVENT is context only, no band'
    : 'PCE < 5 % — low band: no card';
}

function spec(p: PgxPatient): PatientSpec {
  const onDrug = p.takes;
  return {
    patient: {
      id: p.id,
      name: p.name,
      gender: p.gender,
      age: p.age,
      race: p.race,
      ...(p.ethnicity === undefined ? {} : { ethnicity: p.ethnicity }),
    },
    title: `${String(p.age)}-year-old ${p.gender === 'female' ? 'woman' : 'man'} with a pharmacogenomic panel: ${p.covers.slice(0, 3).join(', ')}`,
    covers: p.covers,
    chart: (c) => {
      workup(c, {
        sbp: 118,
        dbp: 74,
        lipids: { tc: 175, hdl: 60, ldl: 95 },
        heightCm: p.gender === 'female' ? 165 : 178,
        weightKg: p.gender === 'female' ? 63 : 80,
        creatinine: 0.9,
      });
      c.genomics(p.results, 400);
      if (onDrug !== undefined) {
        if (onDrug.problem !== undefined) problem(c, onDrug.problem, 500);
        c.medication({ rxnorm: onDrug.rxnorm, display: onDrug.display, startedDaysAgo: 120 });
      }
      p.extra?.(c);
    },
    expect: onDrug === undefined ? {} : { 'augur-pgx-patient-view': onDrug.expect },
    noCard: {
      'augur-cardiovascular-risk': cvReason(p),
    },
    orders: draftOrders(p.phenotypes, true),
  };
}

/** Drafts for the two patients without usable results: a few drugs are enough to show each branch. */
const FEW = ['clopidogrel', 'codeine', 'azathioprine', 'warfarin'];
const few = (phenotypes: Phenotypes) =>
  DRAFTS.filter(([drug]) => FEW.includes(drug)).map(([drug, rxnorm, display, doseMg]) => ({
    id: `draft-${drug}`,
    drug,
    rxnorm,
    display,
    ...(doseMg === undefined ? {} : { doseMg }),
    expect: expectFor(drug, rxnorm, phenotypes, false),
  }));

export const PGX: PatientSpec[] = [
  ...PATIENTS.map(spec),
  {
    patient: {
      id: 'augur-pgx-untested',
      name: ['Uma', 'Tesfaye'],
      gender: 'female',
      age: 44,
      race: ['black'],
    },
    title: '44-year-old woman with no pharmacogenomic result on file',
    covers: [
      'no genotype on file: "consider testing" cards with a test order',
      'warfarin: IWPC clinical estimate',
    ],
    chart: (c) => {
      workup(c, {
        sbp: 120,
        lipids: { tc: 180, hdl: 58, ldl: 100 },
        heightCm: 168,
        weightKg: 72,
        creatinine: 0.8,
      });
      takes(c, 'clopidogrel75', 90);
    },
    noCard: {
      'augur-cardiovascular-risk': 'PCE low band: no card',
      'augur-pgx-patient-view':
        'active clopidogrel but no CYP2C19 result: untested is not an actionable finding at patient-view',
    },
    orders: few({}),
  },
  {
    patient: {
      id: 'augur-pgx-uninterpretable',
      name: ['Hugo', 'Unread'],
      gender: 'male',
      age: 50,
      race: ['white'],
    },
    title: '50-year-old man whose CYP2C19 result names an allele outside the CPIC table (*1/*99)',
    covers: ['uninterpretable genotype: warning card, never a normal phenotype by default'],
    chart: (c) => {
      workup(c, {
        sbp: 122,
        lipids: { tc: 182, hdl: 56, ldl: 102 },
        heightCm: 176,
        weightKg: 79,
        creatinine: 0.9,
      });
      c.genomics([ig('CYP2C19', '*1/*99')], 200);
    },
    noCard: { 'augur-cardiovascular-risk': 'PCE low band: no card' },
    orders: few({ CYP2C19: 'uninterpretable' }),
  },
];
