/**
 * The one JSON body reader. Written by hand rather than with express.json() because the limits must
 * hold before any parsing: the size cap is counted while the body streams in (chunked bodies too),
 * compressed bodies are refused, nesting depth is checked by a linear scan (a 100 000-deep array
 * must not reach the parser's or a validator's recursion), and `__proto__` keys are dropped.
 */
import { storable } from '../fhir-read/index.js';
import type { NextFunction, Request, Response } from 'express';
import { HttpError } from './errors.js';

const JSON_TYPES = new Set(['application/json', 'application/fhir+json']);

/** Maximum nesting depth of `text`, scanning once and skipping string contents. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > max) max = depth;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

function dropProtoKeys(this: unknown, key: string, value: unknown): unknown {
  return key === '__proto__' ? undefined : value;
}

/** JSON escapes that can produce text the store cannot hold: NUL, or a UTF-16 surrogate half. */
const SUSPECT_ESCAPE = /\\u(0000|d[89a-f][0-9a-f]{2})/i;

/** The path of the first string (value or key) that is not storable text, if any. */
function unstorablePath(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return storable(value) ? undefined : path;
  if (typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const hit = unstorablePath(v, `${path}[${i}]`);
      if (hit !== undefined) return hit;
    }
    return undefined;
  }
  for (const [k, v] of Object.entries(value)) {
    const here = path === '' ? k : `${path}.${k}`;
    if (!storable(k)) return here;
    const hit = unstorablePath(v, here);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/**
 * Parses JSON text within the depth limit. Throws HttpError 400 on malformed or too-deep input, and on
 * text PostgreSQL cannot store (a NUL or an unpaired surrogate), naming where it is — on every route.
 */
export function parseJson(text: string, maxDepth: number): unknown {
  const value = parseWithinDepth(text, maxDepth);
  // Only escapes can carry these characters into JSON text, so most bodies skip the walk.
  if (SUSPECT_ESCAPE.test(text)) {
    const path = unstorablePath(value, '');
    if (path !== undefined) {
      throw new HttpError(400, {
        code: 'invalid',
        diagnostics: `${path === '' ? 'the body' : path}: text contains a NUL character or an unpaired UTF-16 surrogate`,
        ...(path === '' ? {} : { expression: path }),
      });
    }
  }
  return value;
}

function parseWithinDepth(text: string, maxDepth: number): unknown {
  if (jsonDepth(text) > maxDepth) {
    throw new HttpError(400, {
      code: 'too-costly',
      diagnostics: `JSON nesting deeper than ${maxDepth} levels`,
    });
  }
  try {
    // The reviver costs time, so it runs only when the text could carry a prototype key.
    return text.includes('"__proto__"') ? JSON.parse(text, dropProtoKeys) : JSON.parse(text);
  } catch {
    throw new HttpError(400, { code: 'structure', diagnostics: 'Request body is not valid JSON' });
  }
}

function readCapped(req: Request, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      reject(tooLarge(maxBytes));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > maxBytes) {
        failed = true;
        chunks.length = 0;
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', () => {
      if (!failed)
        reject(new HttpError(400, { code: 'structure', diagnostics: 'Request body could not be read' }));
    });
  });
}

const tooLarge = (max: number): HttpError =>
  new HttpError(413, { code: 'too-costly', diagnostics: `Request body larger than ${max} bytes` });

/**
 * Reads and parses a JSON request body under the configured limits: 415 for a compressed body or a
 * non-JSON content type, 413 over the size cap (counted while streaming), 400 for malformed or
 * too-deep JSON.
 */
export async function readJsonBody(
  req: Request,
  limits: { bodyBytes: number; jsonDepth: number },
): Promise<unknown> {
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
    throw new HttpError(415, { code: 'not-supported', diagnostics: 'Content-Encoding is not accepted' });
  }
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!JSON_TYPES.has(type)) {
    throw new HttpError(415, {
      code: 'not-supported',
      diagnostics: 'Content-Type must be application/json or application/fhir+json',
    });
  }
  return parseJson(await readCapped(req, limits.bodyBytes), limits.jsonDepth);
}

/** Express middleware form of {@link readJsonBody}: sets `req.body`. */
export function jsonBody(limits: { bodyBytes: number; jsonDepth: number }) {
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    req.body = await readJsonBody(req, limits);
    next();
  };
}
