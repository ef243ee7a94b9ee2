import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { GraphBuilder } from './onnx-builder.js';

async function run(bytes: Uint8Array, feeds: Record<string, ort.Tensor>): Promise<Record<string, number[]>> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const out = await session.run(feeds);
    return Object.fromEntries(
      Object.entries(out).map(([k, v]) => [
        k,
        Array.from(v.data as ArrayLike<number | bigint | boolean>, Number),
      ]),
    );
  } finally {
    await session.release();
  }
}

function elementwiseModel(): Uint8Array {
  const g = new GraphBuilder('elementwise');
  const x = g.input('x', 'float64', ['N', 2]);
  const a = g.column(x, 0);
  const b = g.column(x, 1);
  g.output('sum', g.sum(a, b, 1), ['N']);
  g.output('expr', g.div(g.sub(g.mul(g.log(a), 2), g.exp(b)), g.pow(a, 0.5)), ['N']);
  g.output('clamped', g.max(g.min(a, 3), 1.5), ['N']);
  g.output('nan_to_zero', g.where(g.isNaN(b), 0, b), ['N']);
  g.output('is_two', g.cast(g.equal(a, 2), 'float64'), ['N']);
  return g.toModel({ opset: 17, producer: 'augur-compiler-test' });
}

describe('GraphBuilder', () => {
  it('runs elementwise graphs in onnxruntime with float64 precision', async () => {
    const data = Float64Array.from([1, 0.5, 2, Number.NaN, 4, 1]);
    const out = await run(elementwiseModel(), { x: new ort.Tensor('float64', data, [3, 2]) });
    expect(out['sum']?.slice(0, 1)).toEqual([2.5]);
    expect(out['sum']?.[1]).toBeNaN();
    expect(out['expr']?.[2]).toBeCloseTo((2 * Math.log(4) - Math.exp(1)) / 2, 14);
    expect(out['clamped']).toEqual([1.5, 2, 3]);
    expect(out['nan_to_zero']).toEqual([0.5, 0, 1]);
    expect(out['is_two']).toEqual([0, 1, 0]);
  });

  it('serialises deterministically (same calls → same bytes)', () => {
    expect(Buffer.from(elementwiseModel()).equals(Buffer.from(elementwiseModel()))).toBe(true);
  });

  it('builds a small float32 neural network (Gemm, MatMul, Relu, Tanh, Sigmoid, Reshape, Squeeze, Slice)', async () => {
    const g = new GraphBuilder('mlp', 'float32');
    const x = g.input('x', 'float32', ['N', 3]);
    const first2 = g.slice(x, [0], [2], [1]); // [N, 2]
    const h = g.relu(
      g.gemm(first2, g.constant([1, -1, 2, 0.5], 'float32', [2, 2]), g.constant([0, 1], 'float32'), {
        transB: true,
      }),
    );
    const t = g.tanh(g.add(g.matMul(h, g.constant([1, 1], 'float32', [2, 1])), g.constant(-1, 'float32'))); // [N, 1]
    g.output('p', g.squeeze(g.sigmoid(t), [1]), ['N']);
    g.output('flat', g.reshape(x, [-1]), ['M']);
    const out = await run(g.toModel({ opset: 17, producer: 'test' }), {
      x: new ort.Tensor('float32', Float32Array.from([1, 2, 9, 3, 1, 9]), [2, 3]),
    });
    // row 1: x'=(1,2); Wᵀ rows (1,-1),(2,0.5): h = relu(1-2+0, 2+1+1) = (0, 4); t = tanh(4-1)
    const expected1 = 1 / (1 + Math.exp(-Math.tanh(3)));
    expect(out['p']?.[0]).toBeCloseTo(expected1, 6);
    expect(out['flat']).toEqual([1, 2, 9, 3, 1, 9]);
  });

  it('rejects a constant whose dims do not match its values', () => {
    expect(() => new GraphBuilder('bad').constant([1, 2, 3], 'float64', [2, 2])).toThrow(/dims/);
  });
});
