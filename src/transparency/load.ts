/**
 * Reading a package's `source-attributes.json` at load. A package whose file says `strict` (every
 * built-in) must answer every attribute of its set — a silent gap stops start-up with an error naming
 * the model and the attribute. Without `strict` (a bring-your-own package) it loads and the card lists
 * what is missing.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PackageError, readPackageJson } from '../models/manifest-file.js';
import type { ModelManifest } from '../models/manifest.js';
import { LOCAL_MONITORING } from './local-monitoring.js';
import { resolveSourceAttributes, unknownAttributeIds, type ResolvedSourceAttributes } from './resolve.js';
import { SourceAttributesFile } from './schema.js';

export const SOURCE_ATTRIBUTES_FILE = 'source-attributes.json';

/** Parses and validates one source-attributes file. @throws PackageError naming the file and field. */
export function readSourceAttributesFile(file: string): SourceAttributesFile {
  const data = readPackageJson(file, SourceAttributesFile);
  const unknown = unknownAttributeIds(data);
  if (unknown.length > 0)
    throw new PackageError(file, `attributes: not in the ${data.set} set: ${unknown.join(', ')}`);
  return data;
}

/** The package's resolved attributes. @throws PackageError when `strict` and any attribute is unanswered. */
export function loadSourceAttributes(dir: string, manifest: ModelManifest): ResolvedSourceAttributes {
  const file = join(dir, SOURCE_ATTRIBUTES_FILE);
  const stated = existsSync(file) ? readSourceAttributesFile(file) : undefined;
  const resolved = resolveSourceAttributes(manifest, stated, LOCAL_MONITORING);
  if (stated?.strict === true && !resolved.complete) {
    const list = resolved.missing.map((m) => `${m.id} "${m.label}"`).join(', ');
    throw new PackageError(
      file,
      `model ${manifest.id}: HTI-1 source attribute(s) not answered (state a value, or notAvailable with the reason): ${list}`,
    );
  }
  return resolved;
}
