/**
 * Loads a compiled package from disk and runs it in onnxruntime-node — the same path the service
 * takes — for the compiler's tests and for anyone checking a package by hand.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { z } from 'zod';
import { ModelManifest } from '../../src/models/manifest.js';
import { MODELS_DIR } from './build.js';
import { encodeRows } from './encode.js';
import type { InputRow } from './encode.js';

/** vectors.json: published (or explicitly derived) examples with their source and tolerance. */
export const VectorFile = z
  .object({
    model: z.string(),
    vectors: z
      .array(
        z
          .object({
            name: z.string().min(1),
            source: z.string().min(1),
            inputs: z.record(z.string(), z.union([z.number(), z.boolean(), z.string(), z.null()])),
            expected: z.record(z.string(), z.number()),
            tolerance: z.number().nonnegative(),
            note: z.string().optional(),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();
export type VectorFile = z.infer<typeof VectorFile>;

export function readManifest(id: string, dir: string = MODELS_DIR): ModelManifest {
  return ModelManifest.parse(JSON.parse(readFileSync(join(dir, id, 'model.json'), 'utf8')));
}

export function readVectors(id: string, dir: string = MODELS_DIR): VectorFile {
  return VectorFile.parse(JSON.parse(readFileSync(join(dir, id, 'vectors.json'), 'utf8')));
}

/** A loaded package: run rows of named inputs, get each output as a number[] (one per row). */
export interface LoadedPackage {
  readonly manifest: ModelManifest;
  run(rows: readonly InputRow[]): Promise<Record<string, number[]>>;
  release(): Promise<void>;
}

export async function loadPackage(id: string, dir: string = MODELS_DIR): Promise<LoadedPackage> {
  const manifest = readManifest(id, dir);
  const session = await ort.InferenceSession.create(readFileSync(join(dir, id, manifest.onnx.file)));
  return {
    manifest,
    async run(rows) {
      const data = encodeRows(manifest.inputs, rows);
      const feeds = {
        [manifest.onnx.inputName]: new ort.Tensor('float64', data, [rows.length, manifest.inputs.length]),
      };
      const out = await session.run(feeds);
      return Object.fromEntries(
        manifest.outputs.map((o) => {
          const t = out[o.name];
          if (!t) throw new Error(`${id}: no output ${o.name}`);
          return [o.name, Array.from(t.data as Float64Array, Number)];
        }),
      );
    },
    release: () => session.release(),
  };
}
