/**
 * The trained network as an ONNX graph (float64 throughout), built with the project's GraphBuilder:
 *
 *   x [N,7] → Sub(mean) → Div(sd) → MatMul(W1 [7,H]) → Add(b1) → Tanh → MatMul(W2 [H,1]) → Add(b2)
 *           → Sigmoid → diabetes_probability [N,1]
 *
 * The same operations, in the same order, as mlpPredict() in mlp.ts; vectors.json checks that
 * onnxruntime agrees with the TypeScript network to 1e−6.
 */
import { GraphBuilder } from '../compiler/onnx-builder.js';
import type { Mlp } from './mlp.js';

export const INPUT_NAME = 'x';
export const OUTPUT_NAME = 'diabetes_probability';

export function mlpToOnnx(m: Mlp, meta: { modelId: string; version: string }): Uint8Array {
  const k = m.mean.length;
  const h = m.b1.length;
  const g = new GraphBuilder(meta.modelId, 'float64');
  const x = g.input(INPUT_NAME, 'float64', ['N', k]);
  const z = g.div(g.sub(x, g.constant(m.mean, 'float64', [k])), g.constant(m.sd, 'float64', [k]));
  const hidden = g.tanh(
    g.add(g.matMul(z, g.constant(m.w1, 'float64', [k, h])), g.constant(m.b1, 'float64', [h])),
  );
  const logit = g.add(
    g.matMul(hidden, g.constant(m.w2, 'float64', [h, 1])),
    g.constant([m.b2], 'float64', [1]),
  );
  g.output(OUTPUT_NAME, g.sigmoid(logit), ['N', 1]);
  return g.toModel({
    opset: 17,
    producer: 'augur models/learned-pima-diabetes/train.ts',
    producerVersion: meta.version,
    docString:
      'Demonstration of the bring-your-own-model path: a 7-8-1 tanh MLP trained on MASS Pima.tr. ' +
      'Not a validated clinical model; not for clinical use.',
    metadata: { 'augur.model_id': meta.modelId, 'augur.model_version': meta.version },
  });
}
