/**
 * Compiles every equation package: writes `models/<id>/model.onnx` and records its sha256 in
 * `models/<id>/model.json` (`onnx.sha256`). Deterministic: the same sources give the same bytes.
 *
 * Run through the test suite (there is no TS runner in the toolchain):
 *   AUGUR_UPDATE_MODELS=1 npx vitest run models/compiler   # rebuild and write
 *   npx vitest run models/compiler                         # rebuild in memory and compare
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { ModelManifest } from '../../src/models/manifest.js';
import type { EquationModel } from './equations/common.js';
import { INPUT_NAME } from './equations/common.js';
import { EQUATION_MODELS } from './equations/index.js';

/** The repository's models/ folder. */
export const MODELS_DIR = fileURLToPath(new URL('..', import.meta.url));

/** A compiled package: its ONNX bytes and the model.json text that records their hash. */
export interface CompiledPackage {
  readonly id: string;
  readonly onnx: Uint8Array;
  readonly sha256: string;
  readonly manifestText: string;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Problems where a package's model.json disagrees with its equation's column/output contract. */
export function contractProblems(model: EquationModel, manifest: ModelManifest): string[] {
  const problems: string[] = [];
  const names = manifest.inputs.map((i) => i.name).join(',');
  const expected = model.inputs.map((c) => c.name).join(',');
  if (names !== expected) problems.push(`inputs are [${names}], the graph's columns are [${expected}]`);
  for (const col of model.inputs) {
    const spec = manifest.inputs.find((i) => i.name === col.name);
    if (spec && (spec.values ?? []).join('|') !== (col.values ?? []).join('|')) {
      problems.push(
        `input ${col.name}: values [${(spec.values ?? []).join(', ')}] ≠ graph [${(col.values ?? []).join(', ')}]`,
      );
    }
  }
  const outs = manifest.outputs.map((o) => o.name).join(',');
  if (outs !== model.outputs.join(','))
    problems.push(`outputs are [${outs}], the graph's are [${model.outputs.join(',')}]`);
  if (manifest.onnx.inputName !== INPUT_NAME) problems.push(`onnx.inputName must be "${INPUT_NAME}"`);
  if (manifest.onnx.dtype !== 'float64') problems.push('onnx.dtype must be "float64"');
  if (manifest.onnx.file !== 'model.onnx') problems.push('onnx.file must be "model.onnx"');
  return problems;
}

/** Compiles one package against the model.json found under `dir` (throws on a contract mismatch). */
export async function compilePackage(
  model: EquationModel,
  dir: string = MODELS_DIR,
): Promise<CompiledPackage> {
  const manifestPath = join(dir, model.id, 'model.json');
  const raw = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    onnx?: { sha256?: string };
    explanation?: { interactions?: unknown };
  };
  const problems = contractProblems(model, ModelManifest.parse(raw));
  if (problems.length > 0) throw new Error(`${manifestPath}: ${problems.join('; ')}`);
  const onnx = model.build();
  const hash = sha256(onnx);
  if (raw.onnx) raw.onnx.sha256 = hash;
  if (raw.explanation) {
    if (model.interactions === undefined) delete raw.explanation.interactions;
    else raw.explanation.interactions = model.interactions;
  }
  // Formatted exactly as the repository's prettier formats it, so `prettier --check` and rebuilds agree.
  const options = (await prettier.resolveConfig(join(MODELS_DIR, model.id, 'model.json'))) ?? {};
  const manifestText = await prettier.format(JSON.stringify(raw, null, 2), {
    ...options,
    filepath: manifestPath,
  });
  return { id: model.id, onnx, sha256: hash, manifestText };
}

/** Compiles every package and writes model.onnx + model.json under `dir`. */
export async function writePackages(dir: string = MODELS_DIR): Promise<CompiledPackage[]> {
  const out: CompiledPackage[] = [];
  for (const m of EQUATION_MODELS) {
    const pkg = await compilePackage(m, dir);
    writeFileSync(join(dir, m.id, 'model.onnx'), pkg.onnx);
    writeFileSync(join(dir, m.id, 'model.json'), pkg.manifestText);
    out.push(pkg);
  }
  return out;
}
