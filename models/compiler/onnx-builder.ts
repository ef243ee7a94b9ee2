/**
 * A small, deterministic ONNX graph builder.
 *
 * ```ts
 * const g = new GraphBuilder('pce');                    // default float type float64
 * const x = g.input('x', 'float64', ['N', 3]);          // one [N, k] feature tensor
 * const age = g.column(x, 0);                           // [N]
 * const lp = g.sum(g.mul(g.log(age), 12.344), -61.18);  // numbers become constants of the other operand's type
 * g.output('risk', g.sub(1, g.pow(0.914, g.exp(lp))), ['N']);
 * const bytes = g.toModel({ opset: 17, producer: 'augur-compiler' });
 * ```
 *
 * Determinism: names are a counter (`<op>_<n>`), constants are de-duplicated in first-use order,
 * tensors are written little-endian into `raw_data`, protobufjs writes fields in field-number order,
 * and nothing time- or host-dependent is recorded — so the same calls always give the same bytes.
 * Every method appends nodes in call order; the graph is topologically sorted by construction.
 */
import { AttributeType, DataType, ModelProto } from './onnx-schema.js';
import type { ElemType } from './onnx-schema.js';

export type { ElemType } from './onnx-schema.js';

/** A value in the graph: its name and element type. */
export interface Tensor {
  readonly name: string;
  readonly dtype: ElemType;
}
/** A tensor, or a number that becomes a scalar constant of the other operand's type. */
export type Operand = Tensor | number;
/** A dimension: a fixed size or a symbolic name such as `'N'`. */
export type Dim = number | string;
/** Node attribute values: numbers become INT when integral and `int: true`, else FLOAT. */
export type AttrValue =
  | { int: number }
  | { float: number }
  | { ints: readonly number[] }
  | { floats: readonly number[] }
  | { string: string };

/** Options for {@link GraphBuilder.toModel}. */
export interface ModelOptions {
  /** Default-domain opset version (≥ 13 so Squeeze/Unsqueeze take axes as an input; 17 recommended). */
  readonly opset: number;
  readonly producer: string;
  readonly producerVersion?: string;
  /** IR version; defaults to 8 (the IR of opset 13–18). */
  readonly irVersion?: number;
  readonly docString?: string;
  readonly modelVersion?: number;
  /** Written as metadata_props in key order. */
  readonly metadata?: Readonly<Record<string, string>>;
}

interface ValueInfo {
  name: string;
  type: {
    tensorType: { elemType: number; shape?: { dim: ({ dimValue: number } | { dimParam: string })[] } };
  };
}
interface NodeRecord {
  input: string[];
  output: string[];
  name: string;
  opType: string;
  attribute: Record<string, unknown>[];
}

const BOOL_OPS = new Set([
  'Equal',
  'Less',
  'Greater',
  'LessOrEqual',
  'GreaterOrEqual',
  'IsNaN',
  'IsInf',
  'Not',
  'And',
  'Or',
  'Xor',
]);

function valueInfo(name: string, dtype: ElemType, shape?: readonly Dim[]): ValueInfo {
  const dims = shape?.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  const tensorType = dims
    ? { elemType: DataType[dtype], shape: { dim: dims } }
    : { elemType: DataType[dtype] };
  return { name, type: { tensorType } };
}

/** Little-endian raw bytes for a tensor's values (platform-independent). */
export function rawData(dtype: ElemType, values: readonly number[]): Uint8Array {
  const width = { float32: 4, float64: 8, int64: 8, bool: 1 }[dtype];
  const view = new DataView(new ArrayBuffer(values.length * width));
  values.forEach((v, i) => {
    if (dtype === 'float64') view.setFloat64(i * 8, v, true);
    else if (dtype === 'float32') view.setFloat32(i * 4, v, true);
    else if (dtype === 'int64') view.setBigInt64(i * 8, BigInt(Math.trunc(v)), true);
    else view.setUint8(i, v ? 1 : 0);
  });
  return new Uint8Array(view.buffer);
}

function attributeProto(name: string, v: AttrValue): Record<string, unknown> {
  if ('int' in v) return { name, i: v.int, type: AttributeType.INT };
  if ('float' in v) return { name, f: v.float, type: AttributeType.FLOAT };
  if ('ints' in v) return { name, ints: [...v.ints], type: AttributeType.INTS };
  if ('floats' in v) return { name, floats: [...v.floats], type: AttributeType.FLOATS };
  return { name, s: new TextEncoder().encode(v.string), type: AttributeType.STRING };
}

/** Builds one ONNX graph; see the module comment for an example. */
export class GraphBuilder {
  private readonly nodes: NodeRecord[] = [];
  private readonly inputs: ValueInfo[] = [];
  private readonly outputs: ValueInfo[] = [];
  private readonly initializers: Record<string, unknown>[] = [];
  private readonly constants = new Map<string, Tensor>();
  private counter = 0;

  /**
   * @param name graph name (recorded in the file)
   * @param floatType element type for constants made from bare numbers when no tensor operand says otherwise
   */
  constructor(
    private readonly name: string,
    private readonly floatType: 'float32' | 'float64' = 'float64',
  ) {}

  /** Declares a graph input. */
  input(name: string, dtype: ElemType, shape: readonly Dim[]): Tensor {
    this.inputs.push(valueInfo(name, dtype, shape));
    return { name, dtype };
  }

  /** Declares a graph output named `name` (an Identity of `t`); `shape` is optional but recommended. */
  output(name: string, t: Tensor, shape?: readonly Dim[]): void {
    this.nodes.push({
      input: [t.name],
      output: [name],
      name: `output_${name}`,
      opType: 'Identity',
      attribute: [],
    });
    this.outputs.push(valueInfo(name, t.dtype, shape));
  }

  /**
   * A constant (stored as an initializer, de-duplicated). A number gives a scalar; an array gives a
   * 1-D tensor unless `dims` is given (row-major, e.g. `[in, out]` for a MatMul weight).
   */
  constant(
    value: number | readonly number[],
    dtype: ElemType = this.floatType,
    dims?: readonly number[],
  ): Tensor {
    const values = typeof value === 'number' ? [value] : [...value];
    const shape = dims ?? (typeof value === 'number' ? [] : [values.length]);
    if (shape.reduce((a, b) => a * b, 1) !== values.length)
      throw new Error(`constant: dims ${shape.join('x')} do not match ${values.length} values`);
    const key = `${dtype}|${shape.join(',')}|${values.map((v) => (Object.is(v, -0) ? '-0' : String(v))).join(',')}`;
    const existing = this.constants.get(key);
    if (existing) return existing;
    const t: Tensor = { name: `const_${this.constants.size}`, dtype };
    this.initializers.push({
      dims: shape,
      dataType: DataType[dtype],
      name: t.name,
      rawData: rawData(dtype, values),
    });
    this.constants.set(key, t);
    return t;
  }

  /**
   * The generic escape hatch: appends one node and returns its (single) output.
   * @param dtype output element type; defaults to bool for comparison ops, else the first tensor input's type
   */
  op(
    opType: string,
    inputs: readonly Tensor[],
    attrs: Readonly<Record<string, AttrValue>> = {},
    dtype?: ElemType,
  ): Tensor {
    const n = this.counter++;
    const out: Tensor = {
      name: `${opType.toLowerCase()}_${n}`,
      dtype: dtype ?? (BOOL_OPS.has(opType) ? 'bool' : (inputs[0]?.dtype ?? this.floatType)),
    };
    const attribute = Object.keys(attrs)
      .sort()
      .map((k) => attributeProto(k, attrs[k] as AttrValue));
    this.nodes.push({
      input: inputs.map((i) => i.name),
      output: [out.name],
      name: `${opType}_${n}`,
      opType,
      attribute,
    });
    return out;
  }

  /** Column `i` of a 2-D tensor [N, k] → [N] (Gather on axis 1 with a scalar index). */
  column(x: Tensor, i: number): Tensor {
    return this.op('Gather', [x, this.constant(i, 'int64')], { axis: { int: 1 } });
  }

  private binary(opType: string, a: Operand, b: Operand): Tensor {
    const dtype = typeof a !== 'number' ? a.dtype : typeof b !== 'number' ? b.dtype : this.floatType;
    const ta = typeof a === 'number' ? this.constant(a, dtype) : a;
    const tb = typeof b === 'number' ? this.constant(b, dtype) : b;
    return this.op(opType, [ta, tb]);
  }

  /** Elementwise a + b (broadcasting). */
  add(a: Operand, b: Operand): Tensor {
    return this.binary('Add', a, b);
  }
  /** Elementwise a − b. */
  sub(a: Operand, b: Operand): Tensor {
    return this.binary('Sub', a, b);
  }
  /** Elementwise a · b. */
  mul(a: Operand, b: Operand): Tensor {
    return this.binary('Mul', a, b);
  }
  /** Elementwise a / b. */
  div(a: Operand, b: Operand): Tensor {
    return this.binary('Div', a, b);
  }
  /** Elementwise a ^ b. */
  pow(a: Operand, b: Operand): Tensor {
    return this.binary('Pow', a, b);
  }
  /** Elementwise min(a, b). */
  min(a: Operand, b: Operand): Tensor {
    return this.binary('Min', a, b);
  }
  /** Elementwise max(a, b). */
  max(a: Operand, b: Operand): Tensor {
    return this.binary('Max', a, b);
  }
  /** Elementwise a = b → bool. */
  equal(a: Operand, b: Operand): Tensor {
    return this.binary('Equal', a, b);
  }
  /** Elementwise a < b → bool. */
  less(a: Operand, b: Operand): Tensor {
    return this.binary('Less', a, b);
  }
  /** Elementwise a > b → bool. */
  greater(a: Operand, b: Operand): Tensor {
    return this.binary('Greater', a, b);
  }
  /** Elementwise a ≥ b → bool. */
  greaterOrEqual(a: Operand, b: Operand): Tensor {
    return this.binary('GreaterOrEqual', a, b);
  }
  /** Elementwise logical and of two bool tensors. */
  and(a: Tensor, b: Tensor): Tensor {
    return this.op('And', [a, b]);
  }
  /** Elementwise logical or of two bool tensors. */
  or(a: Tensor, b: Tensor): Tensor {
    return this.op('Or', [a, b]);
  }
  /** Elementwise logical not. */
  not(a: Tensor): Tensor {
    return this.op('Not', [a]);
  }

  /** Sum of any number of terms (a chain of Adds, left to right); at least one term. */
  sum(...terms: readonly Operand[]): Tensor {
    const [first, ...rest] = terms;
    if (first === undefined) throw new Error('sum: no terms');
    if (rest.length === 0) return typeof first === 'number' ? this.constant(first) : first;
    return rest.reduce<Tensor>(
      (acc, t) => this.add(acc, t),
      typeof first === 'number' ? this.constant(first) : first,
    );
  }

  /** Natural log. */
  log(x: Tensor): Tensor {
    return this.op('Log', [x]);
  }
  /** e^x. */
  exp(x: Tensor): Tensor {
    return this.op('Exp', [x]);
  }
  /** −x. */
  neg(x: Tensor): Tensor {
    return this.op('Neg', [x]);
  }
  /** √x. */
  sqrt(x: Tensor): Tensor {
    return this.op('Sqrt', [x]);
  }
  /** ⌊x⌋. */
  floor(x: Tensor): Tensor {
    return this.op('Floor', [x]);
  }
  /** NaN test → bool. */
  isNaN(x: Tensor): Tensor {
    return this.op('IsNaN', [x]);
  }
  /** max(x, 0). */
  relu(x: Tensor): Tensor {
    return this.op('Relu', [x]);
  }
  /** tanh(x). */
  tanh(x: Tensor): Tensor {
    return this.op('Tanh', [x]);
  }
  /** 1 / (1 + e^−x). */
  sigmoid(x: Tensor): Tensor {
    return this.op('Sigmoid', [x]);
  }

  /** `cond ? a : b` elementwise (cond is bool). */
  where(cond: Tensor, a: Operand, b: Operand): Tensor {
    const dtype = typeof a !== 'number' ? a.dtype : typeof b !== 'number' ? b.dtype : this.floatType;
    const ta = typeof a === 'number' ? this.constant(a, dtype) : a;
    const tb = typeof b === 'number' ? this.constant(b, dtype) : b;
    return this.op('Where', [cond, ta, tb], {}, dtype);
  }
  /** Converts element type (e.g. bool → float64 gives 0/1). */
  cast(x: Tensor, to: ElemType): Tensor {
    return this.op('Cast', [x], { to: { int: DataType[to] } }, to);
  }

  /** Matrix product (numpy semantics). */
  matMul(a: Tensor, b: Tensor): Tensor {
    return this.op('MatMul', [a, b]);
  }
  /** α·A'·B' + β·C (Gemm; A, B 2-D). */
  gemm(
    a: Tensor,
    b: Tensor,
    c: Tensor,
    opts: { transA?: boolean; transB?: boolean; alpha?: number; beta?: number } = {},
  ): Tensor {
    const attrs: Record<string, AttrValue> = {};
    if (opts.transA) attrs['transA'] = { int: 1 };
    if (opts.transB) attrs['transB'] = { int: 1 };
    if (opts.alpha !== undefined) attrs['alpha'] = { float: opts.alpha };
    if (opts.beta !== undefined) attrs['beta'] = { float: opts.beta };
    return this.op('Gemm', [a, b, c], attrs);
  }
  /** Reshape to `shape` (−1 infers one dimension, 0 copies the input's). */
  reshape(x: Tensor, shape: readonly number[]): Tensor {
    return this.op('Reshape', [x, this.constant(shape, 'int64')]);
  }
  /** Removes the listed size-1 axes (opset ≥ 13). */
  squeeze(x: Tensor, axes: readonly number[]): Tensor {
    return this.op('Squeeze', [x, this.constant(axes, 'int64')]);
  }
  /** Inserts size-1 axes (opset ≥ 13). */
  unsqueeze(x: Tensor, axes: readonly number[]): Tensor {
    return this.op('Unsqueeze', [x, this.constant(axes, 'int64')]);
  }
  /** x[starts:ends] along `axes`. */
  slice(x: Tensor, starts: readonly number[], ends: readonly number[], axes: readonly number[]): Tensor {
    return this.op('Slice', [
      x,
      this.constant(starts, 'int64'),
      this.constant(ends, 'int64'),
      this.constant(axes, 'int64'),
    ]);
  }
  /** Concatenates along `axis`. */
  concat(xs: readonly Tensor[], axis: number): Tensor {
    return this.op('Concat', xs, { axis: { int: axis } });
  }

  /** Serialises the model (deterministically) to .onnx bytes. */
  toModel(opts: ModelOptions): Uint8Array {
    const metadata = Object.keys(opts.metadata ?? {})
      .sort()
      .map((key) => ({ key, value: opts.metadata?.[key] ?? '' }));
    const model = {
      irVersion: opts.irVersion ?? 8,
      producerName: opts.producer,
      producerVersion: opts.producerVersion ?? '',
      docString: opts.docString ?? '',
      modelVersion: opts.modelVersion ?? 1,
      graph: {
        node: this.nodes,
        name: this.name,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
      opsetImport: [{ domain: '', version: opts.opset }],
      metadataProps: metadata,
    };
    const err = ModelProto.verify(model);
    if (err) throw new Error(`invalid ONNX model: ${err}`);
    return ModelProto.encode(ModelProto.fromObject(model)).finish();
  }
}
