/**
 * Loading one model package folder: manifest → ONNX bytes (sha256 checked on the very bytes the
 * session is built from) → session checked against the manifest → warm-up on the reference profile.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type * as ort from 'onnxruntime-node';
import { interactionMasks } from './explain/mobius.js';
import { interactionProblem } from './explain/verify-interactions.js';
import { PackageError, readManifestFile, type ReadManifest } from './manifest-file.js';
import { openSession, sessionContractProblem, sessionRunner } from './session.js';
import type { LoadedModel } from './types.js';
import { loadSourceAttributes } from '../transparency/load.js';

export const MANIFEST_NAMES = ['model.json', 'model.yaml', 'model.yml'] as const;

/** The manifest file in `dir`, or undefined when the folder is not a model package. */
export function manifestFileIn(dir: string): string | undefined {
  return MANIFEST_NAMES.map((n) => join(dir, n)).find((f) => existsSync(f));
}

function readOnnx(
  dir: string,
  manifestFile: string,
  read: ReadManifest,
): { file: string; bytes: Uint8Array } {
  const file = resolve(dir, read.manifest.onnx.file);
  const rel = relative(resolve(dir), file);
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    throw new PackageError(manifestFile, 'onnx.file: must name a file inside the package folder');
  }
  if (!existsSync(file))
    throw new PackageError(file, `ONNX file missing (named by ${manifestFile} onnx.file)`);
  const bytes = readFileSync(file);
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (sha !== read.manifest.onnx.sha256) {
    throw new PackageError(
      file,
      `sha256 ${sha} does not match onnx.sha256 ${read.manifest.onnx.sha256} in ${manifestFile}`,
    );
  }
  return { file, bytes };
}

async function open(file: string, bytes: Uint8Array): Promise<ort.InferenceSession> {
  try {
    return await openSession(bytes);
  } catch (e) {
    throw new PackageError(file, `onnxruntime cannot load it: ${(e as Error).message.slice(0, 300)}`);
  }
}

/** Runs the reference profile once: proves the session works end to end and warms it up. */
async function warmUp(model: LoadedModel, onnxFile: string): Promise<void> {
  let outputs: Float64Array[];
  try {
    outputs = await model.run(model.reference, 1);
  } catch (e) {
    throw new PackageError(onnxFile, `warm-up inference failed: ${(e as Error).message.slice(0, 300)}`);
  }
  model.manifest.outputs.forEach((o, i) => {
    const y = outputs[i]?.[0];
    if (y === undefined || !Number.isFinite(y)) {
      throw new PackageError(onnxFile, `warm-up on the reference profile gave a non-finite ${o.name}`);
    }
  });
}

/** The declared interaction structure, verified by enumeration on seeded points (or a PackageError). */
async function checkedInteractions(
  model: LoadedModel,
  manifestFile: string,
): Promise<LoadedModel['interactions']> {
  const { manifest } = model;
  const sets = manifest.explanation.interactions;
  if (sets === undefined) return undefined;
  const fail = (why: string): PackageError =>
    new PackageError(manifestFile, `model "${manifest.id}": explanation.interactions is wrong: ${why}`);
  let masks: number[];
  try {
    masks = interactionMasks(
      sets,
      manifest.inputs.map((i) => i.name),
    );
  } catch (e) {
    throw fail((e as Error).message);
  }
  const outputs = manifest.outputs.map((o) => o.unit !== 'code');
  const problem = await interactionProblem(
    model.run,
    manifest.inputs,
    model.reference,
    model.scales,
    masks,
    outputs,
  );
  if (problem !== undefined) throw fail(problem);
  return { masks, outputs };
}

/** Loads and checks one package. @throws PackageError naming the file and the reason. */
export async function loadPackage(dir: string): Promise<LoadedModel> {
  const manifestFile = manifestFileIn(dir);
  if (manifestFile === undefined)
    throw new PackageError(dir, `no ${MANIFEST_NAMES.join(' / ')} in the folder`);
  const read = readManifestFile(manifestFile);
  const sourceAttributes = loadSourceAttributes(dir, read.manifest);
  const onnx = readOnnx(dir, manifestFile, read);
  const session = await open(onnx.file, onnx.bytes);
  const problem = sessionContractProblem(session, read.manifest);
  if (problem !== undefined) {
    await session.release();
    throw new PackageError(manifestFile, problem);
  }
  const model: LoadedModel = {
    manifest: read.manifest,
    dir,
    run: sessionRunner(session, read.manifest),
    reference: read.reference.row,
    referenceValues: read.reference.values,
    scales: read.scales,
    sourceAttributes,
    close: () => session.release(),
  };
  try {
    await warmUp(model, onnx.file);
    const interactions = await checkedInteractions(model, manifestFile);
    return interactions === undefined ? model : { ...model, interactions };
  } catch (e) {
    await session.release();
    throw e;
  }
}
