/**
 * The compile step as a test. `AUGUR_UPDATE_MODELS=1` rebuilds and writes every package;
 * otherwise the packages are rebuilt in a temp dir and must match the committed files byte for byte.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelManifest } from '../../src/models/manifest.js';
import { contractProblems, MODELS_DIR, sha256, writePackages } from './build.js';
import { EQUATION_MODELS } from './equations/index.js';
import { readManifest } from './package-runner.js';

const UPDATE = process.env['AUGUR_UPDATE_MODELS'] === '1';

describe('equation packages build', () => {
  let tmp = '';
  beforeAll(async () => {
    if (UPDATE) await writePackages(MODELS_DIR);
    tmp = mkdtempSync(join(tmpdir(), 'augur-models-'));
    for (const m of EQUATION_MODELS) {
      mkdirSync(join(tmp, m.id));
      copyFileSync(join(MODELS_DIR, m.id, 'model.json'), join(tmp, m.id, 'model.json'));
    }
    await writePackages(tmp);
  });
  afterAll(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  for (const m of EQUATION_MODELS) {
    describe(m.id, () => {
      it('rebuilds to byte-identical model.onnx and model.json', () => {
        const committed = readFileSync(join(MODELS_DIR, m.id, 'model.onnx'));
        const rebuilt = readFileSync(join(tmp, m.id, 'model.onnx'));
        expect(sha256(rebuilt)).toBe(sha256(committed));
        expect(readFileSync(join(tmp, m.id, 'model.json'), 'utf8')).toBe(
          readFileSync(join(MODELS_DIR, m.id, 'model.json'), 'utf8'),
        );
      });

      it('records the sha256 of the committed model.onnx', () => {
        expect(readManifest(m.id).onnx.sha256).toBe(
          sha256(readFileSync(join(MODELS_DIR, m.id, 'model.onnx'))),
        );
      });

      it('has a model.json valid against the ModelManifest schema, matching the graph contract', () => {
        const parsed = ModelManifest.safeParse(
          JSON.parse(readFileSync(join(MODELS_DIR, m.id, 'model.json'), 'utf8')),
        );
        expect(parsed.error?.issues ?? []).toEqual([]);
        if (parsed.success) {
          expect(parsed.data.id).toBe(m.id);
          expect(contractProblems(m, parsed.data)).toEqual([]);
          const names = new Set(parsed.data.inputs.map((i) => i.name));
          expect(Object.keys(parsed.data.explanation.reference).filter((k) => !names.has(k))).toEqual([]);
        }
      });
    });
  }

  it('building twice in one process gives identical bytes', () => {
    for (const m of EQUATION_MODELS) expect(sha256(m.build())).toBe(sha256(m.build()));
  });

  it('detects a manifest whose inputs disagree with the graph', () => {
    const m = EQUATION_MODELS[0];
    if (!m) throw new Error('no models');
    const manifest = readManifest(m.id);
    const swapped = { ...manifest, inputs: [...manifest.inputs].reverse() };
    expect(contractProblems(m, swapped).length).toBeGreaterThan(0);
  });
});
