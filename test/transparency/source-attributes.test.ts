/**
 * HTI-1 source attributes: every built-in package answers every attribute of its set (31 predictive or
 * 13 evidence-based), a strict package with a gap refuses to load naming model and attribute, and a
 * bring-your-own package without attributes loads and says which are missing — in the API too.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import express from 'express';
import { interventionsRouter, loadCpicIntervention } from '../../src/transparency/interventions.js';
import { join } from 'node:path';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { loadPackage } from '../../src/models/package.js';
import { EVIDENCE_BASED, PREDICTIVE } from '../../src/transparency/hti1-catalog.js';
import { BYO, REPO, model, tempModelsDir, testApp } from '../models/helpers.js';
import { loadModelRegistry } from '../../src/models/registry.js';
import { testLogger } from '../support/logs.js';

const MODELS = join(REPO, 'models');
const builtIns = readdirSync(MODELS, { withFileTypes: true })
  // Model packages are the folders with a manifest, as the registry reads them (not compiler/, derivations/).
  .filter((d) => d.isDirectory() && existsSync(join(MODELS, d.name, 'model.json')))
  .map((d) => d.name);

describe('HTI-1 source attributes', () => {
  it('the catalog has the rule’s 31 predictive and 13 evidence-based attributes, unique ids', () => {
    expect(PREDICTIVE).toHaveLength(31);
    expect(EVIDENCE_BASED).toHaveLength(13);
    expect(new Set(PREDICTIVE.map((a) => a.id)).size).toBe(31);
    expect(new Set(PREDICTIVE.map((a) => a.group)).size).toBe(9);
  });

  it.each(builtIns)(
    '%s answers every attribute of its set, each stated with a value or a reason',
    async (id) => {
      const m = await model(join(MODELS, id));
      const s = m.sourceAttributes;
      expect(s.complete, JSON.stringify(s.missing)).toBe(true);
      expect(s.set).toBe(m.manifest.kind === 'points' ? 'evidence-based' : 'predictive');
      expect(s.attributes).toHaveLength(s.set === 'predictive' ? 31 : 13);
      for (const a of s.attributes) {
        if (a.status === 'stated') expect(a.value?.length, a.id).toBeGreaterThan(10);
        else expect(a.status === 'not-available' && (a.reason?.length ?? 0) > 10, a.id).toBe(true);
      }
    },
  );

  it('derives demographic use from the input contract (PCE uses race, sex and date of birth)', async () => {
    const s = (await model(join(MODELS, 'ascvd-pce-10y'))).sourceAttributes;
    const b4ii = s.attributes.find((a) => a.id === '(B)(4)(ii)');
    expect(b4ii?.value).toContain('race: used — input "race"');
    expect(b4ii?.value).toContain('date of birth: used — input "age_years"');
    expect(b4ii?.value).toContain('language: not used');
    const cha = (await model(join(MODELS, 'cha2ds2-vasc'))).sourceAttributes;
    expect(cha.attributes.find((a) => a.id === '(A)(5)')?.value).toMatch(/^race: not used/);
    expect(cha.attributes.find((a) => a.id === '(A)(10)')?.value).toMatch(/^sex: used/);
  });

  it('local validity is said to be unmeasured (no outcomes), not silently filled', async () => {
    const s = (await model(join(MODELS, 'kfre-4v'))).sourceAttributes;
    const local = s.attributes.find((a) => a.id === '(B)(8)(ii)');
    expect(local).toMatchObject({ status: 'not-available', source: 'augur:monitoring' });
    expect(local?.reason).toMatch(/never receives the outcomes/);
  });

  it('a strict package with an unanswered attribute refuses to load, naming model and attribute', async () => {
    const root = tempModelsDir({ kfre: join(MODELS, 'kfre-4v') });
    const file = join(root, 'kfre', 'source-attributes.json');
    const data = JSON.parse(readFileSync(file, 'utf8')) as { attributes: Record<string, unknown> };
    delete data.attributes['(B)(1)(ii)'];
    writeFileSync(file, JSON.stringify(data));
    await expect(loadPackage(join(root, 'kfre'))).rejects.toThrow(
      /model kfre-4v: HTI-1 source attribute\(s\) not answered .*\(B\)\(1\)\(ii\) "Funding source"/,
    );
  });

  it('an unknown attribute id is refused (a typo must not become "missing")', async () => {
    const root = tempModelsDir({ byo: BYO });
    writeFileSync(
      join(root, 'byo', 'source-attributes.json'),
      JSON.stringify({ set: 'predictive', attributes: { '(B)(1)(x)': { value: 'x' } } }),
    );
    await expect(loadPackage(join(root, 'byo'))).rejects.toThrow(
      /not in the predictive set: \(B\)\(1\)\(x\)/,
    );
  });

  it('a bring-your-own package without attributes loads; the API lists what is missing', async () => {
    const root = tempModelsDir({ byo: BYO });
    const registry = await loadModelRegistry({
      dirs: [root],
      onBroken: 'refuse-to-start',
      log: testLogger(),
    });
    try {
      const res = await request(testApp(registry)).get('/api/models/byo-example').expect(200);
      const s = (res.body as { sourceAttributes: unknown }).sourceAttributes as {
        complete: boolean;
        missing: { id: string }[];
        catalogVersion: string;
      };
      expect(s.complete).toBe(false);
      expect(s.catalogVersion).toMatch(/^hti-1/);
      expect(s.missing.map((m) => m.id)).toContain('(B)(1)(i)');
      expect(s.missing.map((m) => m.id)).not.toContain('(B)(2)(i)'); // intendedUse is in the manifest
    } finally {
      await registry.close();
    }
  });
});

describe('CPIC rules (evidence-based, not a model package)', () => {
  it('answer all 13 evidence-based attributes, citations from the guideline table', () => {
    const cpic = loadCpicIntervention();
    expect(cpic.sourceAttributes.set).toBe('evidence-based');
    expect(cpic.sourceAttributes.complete).toBe(true);
    const a1 = cpic.sourceAttributes.attributes.find((a) => a.id === '(A)(1)');
    expect(a1?.source).toBe('manifest:citations');
    expect(a1?.citations?.some((c) => c.text.includes('Clopidogrel'))).toBe(true);
    expect(cpic.sourceAttributes.attributes.find((a) => a.id === '(A)(5)')?.value).toMatch(/warfarin/);
  });

  it('are served at GET /api/interventions/cpic-pgx (404 for an unknown id)', async () => {
    const app = express().use(interventionsRouter([loadCpicIntervention()]));
    const res = await request(app).get('/api/interventions/cpic-pgx').expect(200);
    expect(
      (res.body as { sourceAttributes: { attributes: unknown[] } }).sourceAttributes.attributes,
    ).toHaveLength(13);
    const list = await request(app).get('/api/interventions').expect(200);
    expect((list.body as { interventions: { id: string }[] }).interventions.map((i) => i.id)).toEqual([
      'cpic-pgx',
    ]);
  });

  it('a strict file with a gap stops start-up naming the attribute', () => {
    const dir = tempModelsDir({ pgx: join(REPO, 'cards', 'pgx') });
    const file = join(dir, 'pgx', 'source-attributes.json');
    const data = JSON.parse(readFileSync(file, 'utf8')) as { attributes: Record<string, unknown> };
    delete data.attributes['(A)(4)'];
    writeFileSync(file, JSON.stringify(data));
    expect(() => loadCpicIntervention(join(dir, 'pgx'))).toThrow(
      /cpic-pgx: HTI-1 .*\(A\)\(4\) "Release and revision dates"/,
    );
  });
});
