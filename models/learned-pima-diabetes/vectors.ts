/**
 * vectors.json: inputs → the TypeScript network's own outputs. onnxruntime must reproduce them to 1e−6
 * (test/models/learned-pima.test.ts), which ties the ONNX graph to the code that trained it.
 */
import { FEATURES } from './dataset.js';
import type { Dataset } from './dataset.js';
import { INPUT_NAMES } from './card-inputs.js';
import { OUTPUT_NAME } from './export-onnx.js';
import type { Mlp } from './mlp.js';
import { mlpPredict } from './mlp.js';

export interface VectorFile {
  readonly model: string;
  readonly source: string;
  readonly tolerance: { readonly absolute: number };
  readonly vectors: readonly {
    readonly name: string;
    readonly inputs: Readonly<Record<string, number>>;
    readonly outputs: Readonly<Record<string, number>>;
  }[];
}

/** How many Pima.te rows (from the top of the file) become vectors. */
const TEST_ROWS = 10;

export function buildVectors(m: Mlp, te: Dataset): VectorFile {
  const rows: { name: string; x: readonly number[] }[] = [
    { name: 'reference profile (Pima.tr means)', x: m.mean },
    ...te.x.slice(0, TEST_ROWS).map((x, i) => ({ name: `Pima.te row ${i + 1}`, x })),
    { name: 'outside the training ranges (extrapolation)', x: [17, 40, 130, 110, 67, 2.5, 81] },
  ];
  return {
    model: 'learned-pima-diabetes',
    source: 'mlpPredict() in models/learned-pima-diabetes/mlp.ts on the trained weights (float64).',
    tolerance: { absolute: 1e-6 },
    vectors: rows.map(({ name, x }) => ({
      name,
      inputs: Object.fromEntries(FEATURES.map((f, j) => [INPUT_NAMES[f], x[j] ?? NaN])),
      outputs: { [OUTPUT_NAME]: mlpPredict(m, x) },
    })),
  };
}
