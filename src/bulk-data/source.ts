/**
 * A population from a FHIR server, ready for scoring: the Backend Services client from its key file,
 * then a Patient-level (or Group) export streamed into a folder. The one entry for `augur score --fhir`
 * and `POST /api/populations/score`. An export with a file that failed is not scored (a missing
 * Observation file would read as "no data" for everyone): the error names each file, and running again
 * with the same folder resumes.
 */
import { readFileSync, statSync } from 'node:fs';
import type { JWK } from 'jose';
import { backendTokenSource, type TokenSource } from './backend-auth.js';
import { BulkDataError } from './errors.js';
import { bulkExport, type ExportProgress, type ExportResult } from './export.js';

export interface FhirSource {
  fhirBase: string;
  /** Export this Group (`Group/[id]/$export`); else every patient (`Patient/$export`). */
  group?: string;
  /** Backend Services client id; without it the server must be open (no token is sent). */
  clientId?: string;
  /** File with the client's private JWK (or a JWK Set holding it). */
  keyFile?: string;
  scope?: string;
  since?: string;
}

/**
 * Reads a private JWK from a file: a bare JWK, a JWK Set (its first private key), or the key file
 * `augur keys` writes (`{iss, privateJwk}`). A file readable by group or others is refused, as ssh does.
 */
export function readPrivateJwk(file: string): JWK {
  let mode = 0;
  try {
    mode = statSync(file).mode & 0o777;
  } catch {
    throw new BulkDataError('token', `key file ${file} not found`);
  }
  if ((mode & 0o077) !== 0)
    throw new BulkDataError(
      'token',
      `key file ${file} is readable by others (mode ${mode.toString(8)}): chmod 600 it`,
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new BulkDataError(
      'token',
      `key file ${file}: ${err instanceof Error ? err.message : 'unreadable'}`,
    );
  }
  const p = parsed as { keys?: JWK[]; privateJwk?: JWK };
  const keys = p.keys ?? (p.privateJwk === undefined ? [parsed as JWK] : [p.privateJwk]);
  const key = keys.find((k) => typeof k === 'object' && typeof k.d === 'string');
  if (key === undefined) throw new BulkDataError('token', `key file ${file} holds no private JWK`);
  return key;
}

export async function exportPopulation(
  src: FhirSource,
  dir: string,
  o: { signal?: AbortSignal; onProgress?: (e: ExportProgress) => void } = {},
): Promise<ExportResult> {
  let tokens: TokenSource | undefined;
  if (src.clientId !== undefined) {
    if (src.keyFile === undefined) throw new BulkDataError('token', 'a client id needs its key (--key)');
    tokens = await backendTokenSource(
      src.fhirBase,
      {
        clientId: src.clientId,
        key: readPrivateJwk(src.keyFile),
        ...(src.scope === undefined ? {} : { scope: src.scope }),
      },
      o.signal,
    );
  }
  const result = await bulkExport({
    fhirBase: src.fhirBase,
    level: src.group === undefined ? { kind: 'patient' } : { kind: 'group', id: src.group },
    dir,
    ...(tokens === undefined ? {} : { tokens }),
    ...(src.since === undefined ? {} : { since: src.since }),
    ...(o.signal === undefined ? {} : { signal: o.signal }),
    ...(o.onProgress === undefined ? {} : { onProgress: o.onProgress }),
  });
  if (result.failed.length > 0)
    throw new BulkDataError(
      'download',
      `${String(result.failed.length)} export file(s) failed, nothing scored: ${result.failed
        .map((f) => `${f.file} (${f.type}): ${f.reason}`)
        .join('; ')} — run again with the same output folder to fetch only those`,
    );
  return result;
}
