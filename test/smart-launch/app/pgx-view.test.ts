/**
 * The side app's pharmacogenomics view model (smart-launch/src/app/pgx-view.ts) on the real CPIC tables
 * (cards/pgx/*.json): genes on file → phenotype, current drugs → recommendation chain, and the stored
 * findings exactly as the PGx services write them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { FhirResource } from 'fhir/r4.js';
import { PGX_SERVICE_PREFIX, pgxView, storedPgx } from '../../../smart-launch/src/app/pgx-view.js';
import { AF_SERVICE_ID } from '../../../src/services/atrial-fibrillation/index.js';
import { KIDNEY_SERVICE_ID } from '../../../src/services/kidney/index.js';
import { ORDER_SELECT_ID, ORDER_SIGN_ID } from '../../../src/services/pgx/order-services.js';
import { PATIENT_VIEW_ID } from '../../../src/services/pgx/patient-view.js';
import { recommend } from '../../../src/pgx/recommend.js';
import type { PgxTables } from '../../../src/pgx/tables.js';
import { chainOf } from '../../../src/services/pgx/findings.js';
import { loadPgxTables } from '../../../src/services/pgx/load.js';
import {
  aGenotype,
  aMedicationRequest,
  aMedicationStatement,
  anObservation,
} from '../../support/fhir-builders.js';

let tables: PgxTables;
beforeAll(() => {
  tables = loadPgxTables();
});

const CLOPIDOGREL = '32968';
const SIMVASTATIN = '36567';

describe('pgxView: genes on file', () => {
  it('reads a CYP2C19 genotype through the CPIC table: diplotype, phenotype, date, source, its guidelines', () => {
    const view = pgxView(tables, [
      aGenotype({ shape: 'ig', gene: 'CYP2C19', value: '*2/*2', id: 'g1', date: '2024-03-05' }),
    ]);
    expect(view.genes).toHaveLength(1);
    const [g] = view.genes;
    expect(g?.gene).toBe('CYP2C19');
    expect(g?.status).toMatchObject({
      status: 'known',
      diplotype: '*2/*2',
      phenotype: 'poor',
      basis: 'genotype',
      source: 'Observation/g1',
    });
    expect(g?.status.status === 'known' ? g.status.date?.slice(0, 10) : undefined).toBe('2024-03-05');
    expect(g?.guidelineDrugs).toEqual(['clopidogrel']);
    expect(view.drugs).toEqual([]);
  });

  it('an unreadable result is uninterpretable with its reason — never a normal phenotype', () => {
    const view = pgxView(tables, [
      aGenotype({ shape: 'legacy', gene: 'CYP2C19', value: 'see scanned report', id: 'g2' }),
    ]);
    const status = view.genes[0]?.status;
    expect(status?.status).toBe('uninterpretable');
    if (status?.status !== 'uninterpretable') throw new Error('expected uninterpretable');
    expect(status.sources).toEqual(['Observation/g2']);
    expect(status.warnings.join(' ')).toMatch(/not interpretable/);
  });

  it('no genomic results: no genes, and non-genomic observations are not taken for genes', () => {
    expect(pgxView(tables, [anObservation({ loinc: '2093-3', value: 200, unit: 'mg/dL' })])).toEqual({
      genes: [],
      drugs: [],
    });
  });
});

describe('pgxView: current drugs with a CPIC guideline', () => {
  const genotype = aGenotype({ shape: 'ig', gene: 'CYP2C19', value: '*1/*2', id: 'g3' });

  it('an active clopidogrel order with CYP2C19 *1/*2 → intermediate → avoid, strong, guideline link', () => {
    const order = aMedicationRequest({ id: 'clo', rxnorm: CLOPIDOGREL, display: 'clopidogrel 75 mg' });
    const view = pgxView(tables, [genotype, order]);
    expect(view.drugs).toHaveLength(1);
    const [d] = view.drugs;
    expect(d).toMatchObject({ use: 'active order', source: 'MedicationRequest/clo', byText: false });
    expect(d?.chain).toMatchObject({ drug: 'clopidogrel', kind: 'actionable', strength: 'strong' });
    expect(d?.chain.recommendation).toMatch(/prasugrel or ticagrelor/);
    expect(d?.chain.genes[0]).toMatchObject({
      gene: 'CYP2C19',
      diplotype: '*1/*2',
      phenotype: 'intermediate',
    });
    expect(d?.chain.guideline.url).toMatch(/^https:\/\/cpicpgx\.org\//);
  });

  it('a draft order counts, and is the same chain the server stores for a card (chainOf ∘ recommend)', () => {
    const resources: FhirResource[] = [
      genotype,
      aMedicationRequest({ id: 'd', rxnorm: CLOPIDOGREL, status: 'draft' }),
    ];
    const view = pgxView(tables, resources);
    expect(view.drugs[0]?.use).toBe('draft order');
    const server = recommend(tables, 'clopidogrel', resources);
    if (server === undefined) throw new Error('no finding');
    expect(view.drugs[0]?.chain).toEqual(chainOf(server));
  });

  it('a drug with its gene untested is shown as untested; stopped orders are not current', () => {
    const view = pgxView(tables, [
      aMedicationStatement({ id: 's', rxnorm: SIMVASTATIN }),
      aMedicationRequest({ rxnorm: CLOPIDOGREL, status: 'stopped' }),
    ]);
    expect(view.drugs.map((d) => [d.chain.drug, d.chain.kind, d.use])).toEqual([
      ['simvastatin', 'untested', 'active statement'],
    ]);
    expect(view.drugs[0]?.chain.recommendation).toBeUndefined();
  });

  it('an uninterpretable gene makes the drug finding uninterpretable, not normal', () => {
    const view = pgxView(tables, [
      aGenotype({ shape: 'legacy', gene: 'CYP2C19', value: 'see scanned report' }),
      aMedicationRequest({ rxnorm: CLOPIDOGREL }),
    ]);
    expect(view.drugs[0]?.chain.kind).toBe('uninterpretable');
  });

  it('one entry per drug, however many orders name it', () => {
    const view = pgxView(tables, [
      genotype,
      aMedicationRequest({ rxnorm: CLOPIDOGREL }),
      aMedicationRequest({ rxnorm: CLOPIDOGREL, status: 'draft' }),
    ]);
    expect(view.drugs).toHaveLength(1);
  });
});

describe('storedPgx: the findings of a stored PGx result', () => {
  const chain = () => {
    const f = recommend(tables, 'clopidogrel', [aGenotype({ shape: 'ig', gene: 'CYP2C19', value: '*2/*2' })]);
    if (f === undefined) throw new Error('no finding');
    return JSON.parse(JSON.stringify([chainOf(f, 'MedicationRequest/x')])) as unknown[];
  };

  it('accepts what the PGx services store (chainOf) and drops anything else, counting it', () => {
    const findings = chain();
    expect(storedPgx({ serviceId: PATIENT_VIEW_ID, findings })).toEqual({ chains: findings, unreadable: 0 });
    expect(
      storedPgx({ serviceId: ORDER_SIGN_ID, findings: [...findings, { gene: 'CYP2C19' }, 'x'] }),
    ).toMatchObject({ unreadable: 2 });
    expect(storedPgx({ serviceId: ORDER_SELECT_ID })).toEqual({ chains: [], unreadable: 0 });
    expect(storedPgx({ serviceId: ORDER_SELECT_ID, findings: { findings: [] } })).toEqual({
      chains: [],
      unreadable: 1,
    });
  });

  it('every PGx service id is recognised; the other services’ results (their own findings shapes) are not PGx', () => {
    for (const id of [PATIENT_VIEW_ID, ORDER_SELECT_ID, ORDER_SIGN_ID])
      expect(id.startsWith(PGX_SERVICE_PREFIX)).toBe(true);
    // The cardiovascular service exports no id constant; its definition names it so.
    for (const id of [AF_SERVICE_ID, KIDNEY_SERVICE_ID, 'augur-cardiovascular-risk'])
      expect(storedPgx({ serviceId: id, findings: { cardId: 'x' } })).toBeUndefined();
  });
});
