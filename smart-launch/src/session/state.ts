/**
 * The OAuth `state`: 256 bits from the Web Crypto CSPRNG, base64url. fhirclient's default is
 * `Math.random` over 16 characters (~95 bits, not a CSPRNG), so Augur passes its own as `stateKey`.
 */
export const STATE_BYTES = 32;

export function randomState(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(STATE_BYTES));
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
