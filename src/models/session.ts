/**
 * The ONNX edge: one onnxruntime-node session per model, checked against the manifest's feeding
 * convention (one input tensor [N, k] of the declared dtype; one output per manifest output, same name,
 * shape [N] or [N, 1]) and wrapped as the BatchRun callback the pure core uses.
 */
import * as ort from 'onnxruntime-node';
import type { ModelManifest } from './manifest.js';
import type { BatchRun } from './types.js';

const NUMERIC = new Set(['float32', 'float64', 'float16', 'int32', 'int64', 'int8', 'uint8', 'bool']);

/** Small models: one intra-op thread avoids thread hand-off costs that dominate at these sizes. */
export async function openSession(bytes: Uint8Array): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(bytes, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
}

function inputProblem(session: ort.InferenceSession, manifest: ModelManifest): string | undefined {
  const { inputName, dtype } = manifest.onnx;
  if (session.inputNames.length !== 1 || session.inputNames[0] !== inputName) {
    return `onnx.inputName: the ONNX graph's inputs are [${session.inputNames.join(', ')}], the manifest expects exactly one input "${inputName}"`;
  }
  const meta = session.inputMetadata[0];
  if (meta?.isTensor !== true) return `onnx.inputName: "${inputName}" is not a tensor`;
  if (meta.type !== dtype)
    return `onnx.dtype: the ONNX input is ${meta.type}, the manifest declares ${dtype}`;
  const k = manifest.inputs.length;
  if (meta.shape.length !== 2 || (typeof meta.shape[1] === 'number' && meta.shape[1] !== k)) {
    return `inputs: the ONNX input has shape [${meta.shape.join(', ')}], the manifest has ${k} inputs (expected [N, ${k}])`;
  }
  return undefined;
}

function outputProblem(session: ort.InferenceSession, manifest: ModelManifest): string | undefined {
  const expected = manifest.outputs.map((o) => o.name).sort();
  const actual = [...session.outputNames].sort();
  if (expected.join('\u0000') !== actual.join('\u0000')) {
    return `outputs: the ONNX graph's outputs are [${actual.join(', ')}], the manifest lists [${expected.join(', ')}]`;
  }
  for (const meta of session.outputMetadata) {
    if (!meta.isTensor || !NUMERIC.has(meta.type))
      return `outputs: ONNX output "${meta.name}" is not a numeric tensor`;
    const [, second] = meta.shape;
    if (meta.shape.length > 2 || (meta.shape.length === 2 && typeof second === 'number' && second !== 1)) {
      return `outputs: ONNX output "${meta.name}" has shape [${meta.shape.join(', ')}], expected [N] or [N, 1]`;
    }
  }
  return undefined;
}

/** Why the session does not match the manifest's feeding convention, or undefined when it does. */
export function sessionContractProblem(
  session: ort.InferenceSession,
  manifest: ModelManifest,
): string | undefined {
  return inputProblem(session, manifest) ?? outputProblem(session, manifest);
}

function toFloat64(t: ort.Tensor | undefined, name: string, n: number): Float64Array {
  if (t === undefined) throw new Error(`ONNX output "${name}" missing from the result`);
  const [first, second, ...rest] = t.dims;
  if (first !== n || (second !== undefined && second !== 1) || rest.length > 0) {
    throw new Error(
      `ONNX output "${name}" has shape [${t.dims.join(', ')}] for ${n} rows, expected [N] or [N, 1]`,
    );
  }
  const data = t.data;
  if (data instanceof Float64Array) return data.length === n ? data : data.slice(0, n);
  if (data instanceof Float32Array) return Float64Array.from(data.subarray(0, n));
  const generic = data as ArrayLike<number | bigint>;
  return Float64Array.from({ length: n }, (_, i) => Number(generic[i]));
}

/** The BatchRun over a session: rows (float64, row-major) cast to the manifest's dtype. */
export function sessionRunner(session: ort.InferenceSession, manifest: ModelManifest): BatchRun {
  const { inputName, dtype } = manifest.onnx;
  const k = manifest.inputs.length;
  const names = manifest.outputs.map((o) => o.name);
  return async (rows, n) => {
    const data = dtype === 'float32' ? Float32Array.from(rows) : rows;
    const result = await session.run({ [inputName]: new ort.Tensor(dtype, data, [n, k]) });
    return names.map((name) => toFloat64(result[name], name, n));
  };
}
