/** Reads a fetch response body with a byte cap, counting while streaming, never buffering past it. */
import { FhirFetchError } from './errors.js';

/**
 * Returns the body as text, or throws `too-large` as soon as more than `maxBytes` have arrived (the
 * stream is cancelled, which closes the connection). A declared Content-Length over the cap fails
 * before reading anything.
 */
export async function readCapped(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? 'NaN');
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new FhirFetchError('too-large');
  }
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new FhirFetchError('too-large');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total).toString('utf8');
}
