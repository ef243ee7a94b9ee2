/**
 * Reads an outbound fetch response body with a byte cap, counting while streaming and never buffering
 * past it. Shared by every outbound call (FHIR servers, JWKS endpoints): Content-Length can be absent
 * (chunked) or wrong, so what actually arrives is counted.
 */

/**
 * Returns the body as text, or throws `tooLarge()` as soon as more than `maxBytes` have arrived (the
 * stream is cancelled, which closes the connection). A declared Content-Length over the cap fails
 * before reading anything.
 */
export async function readCapped(
  response: Response,
  maxBytes: number,
  tooLarge: () => Error,
): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? 'NaN');
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge();
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
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total).toString('utf8');
}
