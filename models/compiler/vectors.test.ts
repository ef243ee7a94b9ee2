/** Every package's vectors.json, run through a real onnxruntime-node session on the committed model.onnx. */
import { describe, expect, it } from 'vitest';
import { EQUATION_MODELS } from './equations/index.js';
import { loadPackage, readVectors } from './package-runner.js';

for (const m of EQUATION_MODELS) {
  describe(`${m.id} published vectors`, () => {
    const file = readVectors(m.id);
    it('vectors.json names this model', () => {
      expect(file.model).toBe(m.id);
    });
    for (const v of file.vectors) {
      it(`${v.name} — ${v.source}`, async () => {
        const pkg = await loadPackage(m.id);
        try {
          const out = await pkg.run([v.inputs]);
          for (const [name, expected] of Object.entries(v.expected)) {
            const got = out[name]?.[0];
            expect(got, name).toBeTypeOf('number');
            // 1e-12 absorbs float64 noise at an exact tolerance boundary (e.g. preventr's half-up rounding).
            expect(
              Math.abs((got ?? Number.NaN) - expected),
              `${name}: got ${got}, published ${expected}`,
            ).toBeLessThanOrEqual(v.tolerance + 1e-12);
          }
        } finally {
          await pkg.release();
        }
      });
    }
  });
}
