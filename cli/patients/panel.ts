/**
 * Reads a panel directory (examples/patients/): index.json and one transaction Bundle per patient,
 * checked before anything is sent — every entry a resource with an id and a `PUT <type>/<id>` request —
 * so a damaged file is named, with the entry, instead of half-loaded.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Bundle, FhirResource } from 'fhir/r4.js';
import { PanelLoadError } from './errors.js';

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

const IndexSchema = z.object({
  asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  patients: z
    .array(
      z.object({ id: z.string().regex(FHIR_ID), file: z.string().regex(/^[A-Za-z0-9._-]+\.json$/) }).loose(),
    )
    .min(1),
});

const EntrySchema = z.object({
  resource: z
    .object({ resourceType: z.string().regex(/^[A-Z][A-Za-z]+$/), id: z.string().regex(FHIR_ID) })
    .loose(),
  request: z.object({ method: z.literal('PUT'), url: z.string() }).loose(),
});

const BundleSchema = z.object({
  resourceType: z.literal('Bundle'),
  type: z.literal('transaction'),
  entry: z.array(z.unknown()).min(1),
});

export interface PanelFile {
  patientId: string;
  file: string;
  bundle: Bundle<FhirResource>;
}

export interface Panel {
  dir: string;
  asOf: string;
  files: PanelFile[];
}

function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new PanelLoadError(
      `cannot read ${what} ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new PanelLoadError(`${path} is not JSON (${(err as Error).message})`, { file: path });
  }
}

function checkBundle(raw: unknown, file: string): Bundle<FhirResource> {
  const bundle = BundleSchema.safeParse(raw);
  if (!bundle.success)
    throw new PanelLoadError(
      `${file}: not a transaction Bundle with entries (${bundle.error.issues[0]?.message ?? 'invalid'})`,
      { file },
    );
  bundle.data.entry.forEach((e, i) => {
    const entry = EntrySchema.safeParse(e);
    if (!entry.success) {
      const issue = entry.error.issues[0];
      throw new PanelLoadError(
        `${file}: entry[${String(i)}].${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
        { file },
      );
    }
    const { resource, request } = entry.data;
    const ref = `${resource.resourceType}/${resource.id}`;
    if (request.url !== ref)
      throw new PanelLoadError(`${file}: entry[${String(i)}] ${ref} is sent to "${request.url}"`, {
        file,
        resource: ref,
      });
  });
  return raw as Bundle<FhirResource>;
}

/** The panel in `dir`, or only the patients named in `only`. */
export function readPanel(dir: string, only?: readonly string[]): Panel {
  const indexPath = join(dir, 'index.json');
  const parsed = IndexSchema.safeParse(readJson(indexPath, 'the panel index'));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PanelLoadError(`${indexPath}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`, {
      file: indexPath,
    });
  }
  const unknown = (only ?? []).filter((id) => !parsed.data.patients.some((p) => p.id === id));
  if (unknown.length > 0) throw new PanelLoadError(`no panel patient ${unknown.join(', ')} in ${indexPath}`);
  const files = parsed.data.patients
    .filter((p) => only === undefined || only.includes(p.id))
    .map((p) => ({
      patientId: p.id,
      file: p.file,
      bundle: checkBundle(readJson(join(dir, p.file), 'patient file'), p.file),
    }));
  return { dir, asOf: parsed.data.asOf, files };
}
