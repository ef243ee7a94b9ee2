import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModelRegistry, ModelRegistryError } from '../../src/models/registry.js';
import { modelDirs, startModelRegistry } from '../../src/models/startup.js';
import { testLogger } from '../support/logs.js';
import { BYO, editManifest, fixture, tempModelsDir } from './helpers.js';

const log = testLogger();

/** A temp models folder with a good package (`good`) and a copy of byo-example to break (`bad`). */
function withBroken(breakIt: (dir: string) => void): string {
  const root = tempModelsDir({ good: fixture('points-demo'), bad: BYO });
  breakIt(join(root, 'bad'));
  return root;
}

async function brokenReason(breakIt: (dir: string) => void): Promise<{ file: string; reason: string }> {
  const registry = await loadModelRegistry({ dirs: [withBroken(breakIt)], onBroken: 'skip', log });
  try {
    expect(registry.list().map((m) => m.manifest.id)).toEqual(['points-demo']);
    expect(registry.broken).toHaveLength(1);
    return registry.broken[0]!;
  } finally {
    await registry.close();
  }
}

describe('loadModelRegistry', () => {
  it('loads good packages, one session each, warm and sorted by id', async () => {
    const registry = await loadModelRegistry({ dirs: [fixtureRoot()], onBroken: 'refuse-to-start', log });
    try {
      expect(registry.list().map((m) => m.manifest.id)).toEqual(['contract-demo', 'points-demo', 'wide-16']);
      expect(registry.broken).toEqual([]);
      expect(registry.get('points-demo')?.manifest.kind).toBe('points');
      expect(registry.get('nope')).toBeUndefined();
      const out = await registry.get('points-demo')!.run(registry.get('points-demo')!.reference, 1);
      expect(out[0]![0]).toBe(0);
    } finally {
      await registry.close();
    }
  });

  it('refuses a package whose ONNX sha256 differs from the manifest', async () => {
    const b = await brokenReason((dir) => {
      editManifest(dir, (m) => ((m['onnx'] as Record<string, string>)['sha256'] = 'a'.repeat(64)));
    });
    expect(b.file).toMatch(/bad[/\\]model\.onnx$/);
    expect(b.reason).toMatch(/sha256 [0-9a-f]{64} does not match onnx\.sha256 a{64}/);
  });

  it('refuses a tampered ONNX file (bytes changed, manifest unchanged)', async () => {
    const b = await brokenReason((dir) => {
      const bytes = readFileSync(join(dir, 'model.onnx'));
      bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 1;
      writeFileSync(join(dir, 'model.onnx'), bytes);
    });
    expect(b.reason).toMatch(/does not match onnx\.sha256/);
  });

  it('names the file and the field path of an invalid manifest', async () => {
    const b = await brokenReason((dir) => {
      editManifest(dir, (m) => {
        const inputs = m['inputs'] as Record<string, unknown>[];
        (inputs[3]!['range'] as Record<string, unknown>)['outside'] = 'ignore';
      });
    });
    expect(b.file).toMatch(/bad[/\\]model\.json$/);
    expect(b.reason).toContain('inputs[3].range.outside (systolic_bp_mm_hg)');
  });

  it('names the field of a semantic manifest problem (unknown additive scale, bad reference)', async () => {
    const scale = await brokenReason((dir) => {
      editManifest(dir, (m) => ((m['outputs'] as Record<string, unknown>[])[0]!['additiveScale'] = 'probit'));
    });
    expect(scale.reason).toMatch(/^outputs\[0\]\.additiveScale \(risk\): unknown scale "probit"/);
    const ref = await brokenReason((dir) => {
      editManifest(
        dir,
        (m) =>
          (((m['explanation'] as Record<string, unknown>)['reference'] as Record<string, unknown>)['sex'] =
            'x'),
      );
    });
    expect(ref.reason).toMatch(/^explanation\.reference\.sex: must be one of: female, male/);
  });

  it('reports an invalid JSON manifest by file', async () => {
    const b = await brokenReason((dir) => {
      writeFileSync(join(dir, 'model.json'), '{ "id": ');
    });
    expect(b.file).toMatch(/model\.json$/);
    expect(b.reason).toMatch(/^not valid JSON/);
  });

  it('reports a missing ONNX file', async () => {
    const b = await brokenReason((dir) => {
      rmSync(join(dir, 'model.onnx'));
    });
    expect(b.file).toMatch(/bad[/\\]model\.onnx$/);
    expect(b.reason).toMatch(/ONNX file missing/);
  });

  it('refuses an input-name mismatch between the manifest and the ONNX graph', async () => {
    const b = await brokenReason((dir) => {
      editManifest(dir, (m) => ((m['onnx'] as Record<string, string>)['inputName'] = 'features'));
    });
    expect(b.reason).toMatch(
      /^onnx\.inputName: the ONNX graph's inputs are \[x\], the manifest expects exactly one input "features"/,
    );
  });

  it('refuses output, dtype and column-count mismatches', async () => {
    const out = await brokenReason((dir) => {
      editManifest(dir, (m) => ((m['outputs'] as Record<string, unknown>[])[0]!['name'] = 'probability'));
    });
    expect(out.reason).toMatch(
      /^outputs: the ONNX graph's outputs are \[risk\], the manifest lists \[probability\]/,
    );
    const dtype = await brokenReason((dir) => {
      editManifest(dir, (m) => ((m['onnx'] as Record<string, string>)['dtype'] = 'float64'));
    });
    expect(dtype.reason).toMatch(/^onnx\.dtype: the ONNX input is float32/);
    const cols = await brokenReason((dir) => {
      editManifest(dir, (m) => {
        const inputs = m['inputs'] as Record<string, unknown>[];
        m['inputs'] = inputs.slice(0, 3);
        delete ((m['explanation'] as Record<string, Record<string, unknown>>)['reference'] ?? {})[
          'systolic_bp_mm_hg'
        ];
      });
    });
    expect(cols.reason).toMatch(/^inputs: the ONNX input has shape \[batch, 4\], the manifest has 3 inputs/);
  });

  it('refuse-to-start throws a ModelRegistryError listing every broken package', async () => {
    const root = withBroken((dir) => {
      rmSync(join(dir, 'model.onnx'));
    });
    const err = await loadModelRegistry({ dirs: [root], onBroken: 'refuse-to-start', log }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ModelRegistryError);
    expect((err as ModelRegistryError).message).toMatch(
      /1 broken model package\(s\):\n {2}\S+model\.onnx: ONNX file missing/,
    );
    expect((err as ModelRegistryError).broken).toHaveLength(1);
  });

  it('treats a duplicate id and a missing models folder as broken', async () => {
    const a = tempModelsDir({ one: fixture('points-demo') });
    const b = tempModelsDir({ two: fixture('points-demo') });
    const registry = await loadModelRegistry({ dirs: [a, b, join(a, 'nowhere')], onBroken: 'skip', log });
    try {
      expect(registry.list()).toHaveLength(1);
      const reasons = registry.broken.map((x) => x.reason);
      expect(reasons).toHaveLength(2);
      expect(reasons[0]).toBe('models directory does not exist');
      expect(reasons[1]).toMatch(/^id: "points-demo" is already served from /);
    } finally {
      await registry.close();
    }
  });
});

describe('start-up wiring', () => {
  it('AUGUR_MODELS_DIR adds site folders after the built-ins', () => {
    expect(modelDirs({ AUGUR_MODELS_DIR: '/site/a:/site/b' }, '/app/models')).toEqual([
      '/app/models',
      '/site/a',
      '/site/b',
    ]);
    expect(modelDirs({}, '/app/models')).toEqual(['/app/models']);
    expect(modelDirs({})[0]).toMatch(/[/\\]models$/);
  });

  it('the readiness handle is not ready until loading completes', async () => {
    const handle = startModelRegistry({
      dirs: [tempModelsDir({ p: fixture('points-demo') })],
      onBroken: 'skip',
      log,
    });
    expect(handle.ready).toBe(false);
    expect(handle.current).toBeUndefined();
    const registry = await handle.loaded;
    expect(handle.ready).toBe(true);
    expect(handle.current).toBe(registry);
    await registry.close();
  });

  it('the readiness handle records a refused start-up', async () => {
    const handle = startModelRegistry({
      dirs: ['/nonexistent/augur-models'],
      onBroken: 'refuse-to-start',
      log,
    });
    await expect(handle.loaded).rejects.toThrow(ModelRegistryError);
    expect(handle.ready).toBe(false);
    expect(handle.error).toBeInstanceOf(ModelRegistryError);
  });
});

function fixtureRoot(): string {
  return tempModelsDir({
    'contract-demo': fixture('contract-demo'),
    'points-demo': fixture('points-demo'),
    'wide-16': fixture('wide-16'),
  });
}
