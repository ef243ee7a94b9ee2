/**
 * Reading a package's manifest: parse (JSON or YAML), validate against the schema, then the checks a
 * schema cannot express (unique names, known additive scales, defaults and the reference profile valid
 * under the input contract). Every problem is a PackageError naming the file and the field path.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { fieldPath } from '../validation/field-path.js';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { HttpError } from '../http/errors.js';
import { additiveScale, KNOWN_SCALES, type AdditiveScale } from './explain/scales.js';
import { checkType, prepareInputs, type PreparedInputs } from './inputs.js';
import { ModelManifest } from './manifest.js';
import { survivalProblem } from './survival.js';

/** A broken package: the file at fault and the reason (which names the field). */
export class PackageError extends Error {
  override name = 'PackageError';
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

export interface ReadManifest {
  readonly manifest: ModelManifest;
  readonly scales: AdditiveScale[];
  readonly reference: PreparedInputs;
}

/** `inputs[2].range.min`, with the input's name when the path starts at an input. */
function namedFieldPath(raw: unknown, path: readonly PropertyKey[]): string {
  const text = fieldPath(path);
  const [top, index] = path;
  if ((top === 'inputs' || top === 'outputs') && typeof index === 'number') {
    const list = (raw as Record<string, unknown> | null)?.[top];
    const name = Array.isArray(list) ? (list[index] as { name?: unknown } | undefined)?.name : undefined;
    if (typeof name === 'string') return `${text} (${name})`;
  }
  return text === '' ? '(root)' : text;
}

function describe(raw: unknown, error: z.ZodError): string {
  return error.issues.map((i) => `${namedFieldPath(raw, i.path)}: ${i.message}`).join('; ');
}

function parse(file: string): unknown {
  const text = readFileSync(file, 'utf8');
  try {
    return extname(file) === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new PackageError(
      file,
      `not valid ${extname(file) === '.json' ? 'JSON' : 'YAML'}: ${(e as Error).message}`,
    );
  }
}

/**
 * Reads a model package's JSON side file (`source-attributes.json`, `development-distribution.json`)
 * against its schema. @throws PackageError naming the file, and the field of each problem.
 */
export function readPackageJson<S extends z.ZodType>(file: string, schema: S): z.output<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new PackageError(file, `not valid JSON: ${(e as Error).message}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success)
    throw new PackageError(
      file,
      parsed.error.issues.map((i) => `${fieldPath(i.path) || '(root)'}: ${i.message}`).join('; '),
    );
  return parsed.data;
}

function uniqueNames(file: string, field: 'inputs' | 'outputs', names: readonly string[]): void {
  const seen = new Set<string>();
  names.forEach((n, i) => {
    if (seen.has(n)) throw new PackageError(file, `${field}[${i}].name: duplicate name "${n}"`);
    seen.add(n);
  });
}

function checkDefaults(file: string, manifest: ModelManifest): void {
  manifest.inputs.forEach((spec, i) => {
    if (spec.missing.policy !== 'default') return;
    try {
      checkType(spec, spec.missing.value);
    } catch {
      throw new PackageError(
        file,
        `inputs[${i}].missing.value (${spec.name}): the default is not a valid ${spec.type} for this input`,
      );
    }
  });
}

function scalesOf(file: string, manifest: ModelManifest): AdditiveScale[] {
  return manifest.outputs.map((o, i) => {
    const scale = additiveScale(o.additiveScale);
    if (scale === undefined) {
      throw new PackageError(
        file,
        `outputs[${i}].additiveScale (${o.name}): unknown scale "${o.additiveScale ?? ''}"; known: ${KNOWN_SCALES.join(', ')}`,
      );
    }
    return scale;
  });
}

/**
 * The reference profile with the sentinel `"missing"` read as absent (for inputs where it cannot be a
 * real value), so a reference can say "no UACR measured" and the input's missing policy applies.
 */
function referenceInputs(manifest: ModelManifest): Record<string, unknown> {
  const specs = new Map(manifest.inputs.map((i) => [i.name, i]));
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(manifest.explanation.reference)) {
    const spec = specs.get(name);
    const sentinel = v === 'missing' && spec !== undefined && !(spec.values ?? []).includes('missing');
    if (!sentinel) out[name] = v;
  }
  return out;
}

/** The reference profile, validated exactly like a request (so it is a valid patient under the contract). */
function referenceOf(file: string, manifest: ModelManifest): PreparedInputs {
  try {
    return prepareInputs(manifest, referenceInputs(manifest));
  } catch (e) {
    if (!(e instanceof HttpError)) throw e;
    const where =
      e.outcome.issue[0]?.expression?.[0]?.replace(/^inputs\./, 'explanation.reference.') ??
      'explanation.reference';
    throw new PackageError(file, `${where}: ${e.message.replace(/^inputs\.\S+ /, '')}`);
  }
}

/** Reads and fully validates one manifest file. @throws PackageError naming the file and field. */
export function readManifestFile(file: string): ReadManifest {
  const raw = parse(file);
  const parsed = ModelManifest.safeParse(raw);
  if (!parsed.success) throw new PackageError(file, describe(raw, parsed.error));
  const manifest = parsed.data;
  uniqueNames(
    file,
    'inputs',
    manifest.inputs.map((i) => i.name),
  );
  uniqueNames(
    file,
    'outputs',
    manifest.outputs.map((o) => o.name),
  );
  checkDefaults(file, manifest);
  const survival =
    manifest.survival === undefined
      ? undefined
      : survivalProblem(
          manifest.survival,
          manifest.outputs.map((o) => o.name),
        );
  if (survival !== undefined) throw new PackageError(file, survival);
  return { manifest, scales: scalesOf(file, manifest), reference: referenceOf(file, manifest) };
}
