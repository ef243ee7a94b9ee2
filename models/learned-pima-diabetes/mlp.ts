/**
 * A one-hidden-layer perceptron k → H → 1 (tanh hidden units, sigmoid output), trained in plain
 * TypeScript: full-batch Adam on mean binary cross-entropy + (λ/2)·Σw² (weights only, not biases),
 * Glorot-uniform initialisation from a seeded PRNG, a fixed number of epochs. Every operation runs in a
 * fixed order on float64, so the same data and options always give bit-identical weights.
 */
import { mulberry32 } from '../../src/models/explain/prng.js';

export interface Mlp {
  /** Standardisation: z = (x − mean) / sd, column-wise (baked into the ONNX graph as Sub/Div). */
  readonly mean: readonly number[];
  readonly sd: readonly number[];
  /** Hidden weights, row-major [k][H]. */
  readonly w1: readonly number[];
  readonly b1: readonly number[];
  /** Output weights [H]. */
  readonly w2: readonly number[];
  readonly b2: number;
}

export interface TrainOptions {
  readonly hidden: number;
  readonly epochs: number;
  readonly learningRate: number;
  /** L2 penalty λ on the (standardised-scale) weights. */
  readonly l2: number;
  readonly seed: number;
}

const at = (v: readonly number[], i: number): number => v[i] ?? NaN;

/** Hidden activations for one raw input row. */
function hiddenLayer(m: Mlp, x: readonly number[]): number[] {
  const k = m.mean.length;
  const hiddenUnits = m.b1.length;
  const z = x.map((v, i) => (v - at(m.mean, i)) / at(m.sd, i));
  const h: number[] = [];
  for (let j = 0; j < hiddenUnits; j++) {
    let a = 0;
    for (let i = 0; i < k; i++) a += at(z, i) * at(m.w1, i * hiddenUnits + j);
    h.push(Math.tanh(a + at(m.b1, j)));
  }
  return h;
}

/** The network's log-odds for one raw input row. */
export function mlpLogit(m: Mlp, x: readonly number[]): number {
  const h = hiddenLayer(m, x);
  let o = 0;
  for (let j = 0; j < h.length; j++) o += at(h, j) * at(m.w2, j);
  return o + m.b2;
}

/** The network's probability for one raw input row (σ of the logit, as ONNX Sigmoid). */
export function mlpPredict(m: Mlp, x: readonly number[]): number {
  return 1 / (1 + Math.exp(-mlpLogit(m, x)));
}

function initialise(k: number, o: TrainOptions): Float64Array {
  const rand = mulberry32(o.seed);
  const h = o.hidden;
  const p = new Float64Array(k * h + 2 * h + 1); // layout [w1 (k×H), b1 (H), w2 (H), b2]; biases start at 0
  const limit1 = Math.sqrt(6 / (k + h)); // Glorot & Bengio (2010) uniform initialisation
  const limit2 = Math.sqrt(6 / (h + 1));
  for (let i = 0; i < k * h; i++) p[i] = (2 * rand() - 1) * limit1;
  for (let j = 0; j < h; j++) p[k * h + h + j] = (2 * rand() - 1) * limit2;
  return p;
}

/** Standardised rows, row-major [n][k], computed exactly as the ONNX graph does ((x − mean) / sd). */
function standardiseRows(
  x: readonly (readonly number[])[],
  mean: readonly number[],
  sd: readonly number[],
): Float64Array {
  const k = mean.length;
  const z = new Float64Array(x.length * k);
  x.forEach((row, r) => {
    for (let i = 0; i < k; i++) z[r * k + i] = (at(row, i) - at(mean, i)) / at(sd, i);
  });
  return z;
}

/** Writes the gradient of the penalised mean cross-entropy at p into g (same layout as p). */
function gradient(
  p: Float64Array,
  z: Float64Array,
  y: readonly number[],
  k: number,
  l2: number,
  g: Float64Array,
): void {
  const h = (p.length - 1) / (k + 2);
  const [b1, w2, b2] = [k * h, k * h + h, k * h + 2 * h];
  const act = new Float64Array(h);
  g.fill(0);
  for (let r = 0; r < y.length; r++) {
    let o = 0;
    for (let j = 0; j < h; j++) {
      let a = 0;
      for (let i = 0; i < k; i++) a += (z[r * k + i] ?? NaN) * (p[i * h + j] ?? NaN);
      const hj = Math.tanh(a + (p[b1 + j] ?? NaN));
      act[j] = hj;
      o += hj * (p[w2 + j] ?? NaN);
    }
    const d = (1 / (1 + Math.exp(-(o + (p[b2] ?? NaN)))) - at(y, r)) / y.length;
    for (let j = 0; j < h; j++) {
      const hj = act[j] ?? NaN;
      const dh = d * (p[w2 + j] ?? NaN) * (1 - hj * hj);
      for (let i = 0; i < k; i++) g[i * h + j] = (g[i * h + j] ?? NaN) + dh * (z[r * k + i] ?? NaN);
      g[b1 + j] = (g[b1 + j] ?? NaN) + dh;
      g[w2 + j] = (g[w2 + j] ?? NaN) + d * hj;
    }
    g[b2] = (g[b2] ?? NaN) + d;
  }
  for (let i = 0; i < k * h; i++) g[i] = (g[i] ?? NaN) + l2 * (p[i] ?? NaN);
  for (let j = 0; j < h; j++) g[w2 + j] = (g[w2 + j] ?? NaN) + l2 * (p[w2 + j] ?? NaN);
}

/** Full-batch Adam (Kingma & Ba 2015, Algorithm 1, default β₁ 0.9, β₂ 0.999, ε 1e−8), in place. */
function adam(p: Float64Array, z: Float64Array, y: readonly number[], k: number, o: TrainOptions): void {
  const [beta1, beta2, eps] = [0.9, 0.999, 1e-8];
  const g = new Float64Array(p.length);
  const m1 = new Float64Array(p.length);
  const m2 = new Float64Array(p.length);
  for (let t = 1; t <= o.epochs; t++) {
    gradient(p, z, y, k, o.l2, g);
    const c1 = 1 - beta1 ** t;
    const c2 = 1 - beta2 ** t;
    for (let i = 0; i < p.length; i++) {
      const gi = g[i] ?? NaN;
      const a = beta1 * (m1[i] ?? NaN) + (1 - beta1) * gi;
      const b = beta2 * (m2[i] ?? NaN) + (1 - beta2) * gi * gi;
      m1[i] = a;
      m2[i] = b;
      p[i] = (p[i] ?? NaN) - (o.learningRate * (a / c1)) / (Math.sqrt(b / c2) + eps);
    }
  }
}

/** Trains on raw rows x (standardised with the given constants) and labels y ∈ {0, 1}. */
export function trainMlp(
  x: readonly (readonly number[])[],
  y: readonly number[],
  standardise: { mean: readonly number[]; sd: readonly number[] },
  o: TrainOptions,
): Mlp {
  const k = standardise.mean.length;
  const h = o.hidden;
  const p = initialise(k, o);
  adam(p, standardiseRows(x, standardise.mean, standardise.sd), y, k, o);
  const v = Array.from(p);
  return {
    mean: [...standardise.mean],
    sd: [...standardise.sd],
    w1: v.slice(0, k * h),
    b1: v.slice(k * h, k * h + h),
    w2: v.slice(k * h + h, k * h + 2 * h),
    b2: at(v, k * h + 2 * h),
  };
}
