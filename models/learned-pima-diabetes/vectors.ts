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

/** The repository's shared vectors.json layout (models/compiler/package-runner.ts `VectorFile`). */
export interface VectorFile {
  readonly model: string;
  readonly vectors: readonly {
    readonly name: string;
    readonly source: string;
    readonly inputs: Readonly<Record<string, number>>;
    readonly expected: Readonly<Record<string, number>>;
    readonly tolerance: number;
  }[];
}

/** onnxruntime (float64) must reproduce the TypeScript network to this absolute tolerance. */
export const VECTOR_TOLERANCE = 1e-6;
const SOURCE = 'mlpPredict() in models/learned-pima-diabetes/mlp.ts on the trained float64 weights';

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
    vectors: rows.map(({ name, x }) => ({
      name,
      source: SOURCE,
      inputs: Object.fromEntries(FEATURES.map((f, j) => [INPUT_NAMES[f], x[j] ?? NaN])),
      expected: { [OUTPUT_NAME]: mlpPredict(m, x) },
      tolerance: VECTOR_TOLERANCE,
    })),
  };
}
