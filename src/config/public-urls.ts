/**
 * Augur's public URLs. On loopback, `localhost`, `127.0.0.1` and `[::1]` reach the same listener, and
 * test clients (the cds-hooks sandbox) sign `aud` with whichever one the tester typed, so a loopback
 * URL stands for all three. Any other URL is matched exactly (no trailing-slash or host folding).
 */

const LOOPBACK_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

/** True for `localhost`, `127.0.0.1` and `[::1]` (WHATWG URL hostnames). */
export const isLoopbackHost = (hostname: string): boolean => LOOPBACK_HOSTS.includes(hostname);

/**
 * The URL itself, and for a loopback URL the same URL under the other two loopback names
 * (scheme, port, path unchanged). The input is returned first and unaltered.
 */
export function loopbackVariants(url: string): string[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [url];
  }
  if (!isLoopbackHost(parsed.hostname) || parsed.username !== '' || parsed.password !== '') return [url];
  const prefix = `${parsed.protocol}//${parsed.host}`;
  // Only the host part is swapped; the rest of the string stays exactly as configured.
  if (!url.startsWith(prefix)) return [url];
  const rest = url.slice(prefix.length);
  const port = parsed.port === '' ? '' : `:${parsed.port}`;
  const variants = LOOPBACK_HOSTS.map((h) => `${parsed.protocol}//${h}${port}${rest}`);
  return [url, ...variants.filter((v) => v !== url)];
}

/** A base URL in one form for allowlist comparison: loopback host → `127.0.0.1`, no trailing `/`. */
export function canonicalServerUrl(url: string): string {
  const trimmed = url.replace(/\/+$/, '');
  return loopbackVariants(trimmed).find((v) => v.includes('//127.0.0.1')) ?? trimmed;
}
