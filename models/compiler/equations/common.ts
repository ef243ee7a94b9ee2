/**
 * What every equation model shares: its column contract (manifest inputs in order) and the helpers
 * that read columns out of the single [N, k] input tensor under the manifest's `onnx` convention
 * (number → value, boolean → 0/1, enum → index into `values`, missing `model-handles` → NaN).
 */
import { GraphBuilder } from '../onnx-builder.js';
import type { Tensor } from '../onnx-builder.js';

/** One column of the input tensor: a manifest input's name and, for enums, its values in order. */
export interface Column {
  readonly name: string;
  readonly values?: readonly string[];
}

/** A published equation compiled to ONNX. `inputs`/`outputs` must match the package's model.json. */
export interface EquationModel {
  readonly id: string;
  readonly inputs: readonly Column[];
  readonly outputs: readonly string[];
  /**
   * The sets of inputs whose terms interact on the additive scale (each term of the linear predictor
   * depends on the inputs of one set; written to model.json `explanation.interactions`, verified at
   * load). Omitted: explanations enumerate all 2^k coalitions.
   */
  readonly interactions?: readonly (readonly string[])[];
  /** Builds the (deterministic) ONNX bytes. */
  build(): Uint8Array;
}

/** The input tensor's name in every equation package (model.json `onnx.inputName`). */
export const INPUT_NAME = 'features';
/** ONNX opset every equation graph is written against. */
export const OPSET = 17;

/** Column accessors over a graph's feature tensor. */
export class Features {
  readonly g: GraphBuilder;
  private readonly x: Tensor;

  constructor(
    graphName: string,
    private readonly columns: readonly Column[],
  ) {
    this.g = new GraphBuilder(graphName, 'float64');
    this.x = this.g.input(INPUT_NAME, 'float64', ['N', columns.length]);
  }

  private index(name: string): number {
    const i = this.columns.findIndex((c) => c.name === name);
    if (i < 0) throw new Error(`no input column "${name}"`);
    return i;
  }

  /** A number or boolean (0/1) column, as float64 [N]. */
  num(name: string): Tensor {
    return this.g.column(this.x, this.index(name));
  }

  /** True where enum column `name` holds `value` (bool [N]). */
  is(name: string, value: string): Tensor {
    const code = this.columns[this.index(name)]?.values?.indexOf(value) ?? -1;
    if (code < 0) throw new Error(`input "${name}" has no value "${value}"`);
    return this.g.equal(this.num(name), code);
  }

  /** 1 where enum column `name` holds `value`, else 0 (float64 [N]). */
  flag(name: string, value: string): Tensor {
    return this.g.cast(this.is(name, value), 'float64');
  }

  /** NaN where `value` is outside [min, max] — the graph never extrapolates beyond a model's stated range. */
  nanOutside(t: Tensor, value: Tensor, min: number, max: number): Tensor {
    const g = this.g;
    return g.where(g.or(g.less(value, min), g.greater(value, max)), Number.NaN, t);
  }

  /** Serialises with Augur's fixed producer metadata (deterministic). */
  finish(docString: string): Uint8Array {
    return this.g.toModel({ opset: OPSET, producer: 'augur-compiler', producerVersion: '1', docString });
  }
}

/** Σ coefficient·term over a coefficient table, in the table's key order. */
export function linear(
  g: GraphBuilder,
  terms: Readonly<Record<string, Tensor | number>>,
  coef: Readonly<Record<string, number>>,
): Tensor {
  const parts = Object.entries(coef).map(([k, b]) => {
    const t = terms[k];
    if (t === undefined) throw new Error(`no term "${k}"`);
    return typeof t === 'number' ? t * b : g.mul(t, b);
  });
  return g.sum(...parts);
}
