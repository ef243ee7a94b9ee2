/**
 * Choosing the verification key for a token: the key set comes from the issuer's configuration (its
 * JWKS URL, a `jku` it lists, or a static JWKS), never from the token; the token only names a kid.
 * With a static (pinned) JWKS the token's `jku` is irrelevant: the official cds-hooks sandbox sends one
 * on every token, and a site that pins the sandbox's keys must still accept it.
 */
import { importJWK, type CryptoKey, type JWK } from 'jose';
import type { TrustedClient } from '../config/schema.js';
import { parseJwks, type JwksCache } from './jwks-cache.js';
import type { CheckedHeader } from './token.js';
import { AuthError } from './types.js';

type KeySource = { url: string } | { keys: readonly JWK[] };

/** Resolves verification keys for trusted clients, importing each JWK once per algorithm. */
export class KeyResolver {
  readonly #jwks: JwksCache;
  readonly #staticKeys = new Map<string, readonly JWK[]>();
  /** Keyed by the JWK object: a refetched JWKS brings new objects, and the old imports are collected. */
  readonly #imported = new WeakMap<JWK, Map<string, Promise<CryptoKey | Uint8Array>>>();

  constructor(jwks: JwksCache, clients: readonly TrustedClient[]) {
    this.#jwks = jwks;
    for (const c of clients) if (c.jwks !== undefined) this.#staticKeys.set(c.iss, parseJwks(c.jwks));
  }

  /** The key to verify a token from `client` with `header`; throws {@link AuthError} when there is none. */
  async resolve(client: TrustedClient, header: CheckedHeader): Promise<CryptoKey | Uint8Array> {
    const pinned = this.#staticKeys.get(client.iss);
    if (pinned !== undefined) {
      // Pinned keys win: a token they verify is accepted whatever its jku says, and an unlisted jku is
      // never fetched. A listed jku is consulted only for a kid the pinned set does not have.
      const jwk = pick(pinned, header);
      if (jwk !== undefined) return this.#import(jwk, header.alg);
      if (header.jku === undefined || !client.jku.includes(header.jku)) throw new AuthError('unknown kid');
    }
    const source = this.#source(client, header.jku);
    let jwk = pick('keys' in source ? source.keys : await this.#jwks.keys(source.url), header);
    if (jwk === undefined && 'url' in source) {
      // The EHR may have rotated its keys since the last fetch; the refetch is rate-limited per issuer.
      const fresh = await this.#jwks.refetchForUnknownKid(source.url, client.iss);
      if (fresh !== undefined) jwk = pick(fresh, header);
    }
    if (jwk === undefined) throw new AuthError('unknown kid');
    return this.#import(jwk, header.alg);
  }

  /** `jku` selects among URLs configured for this issuer; anything else is refused unfetched (SSRF). */
  #source(client: TrustedClient, jku: string | undefined): KeySource {
    if (jku !== undefined) {
      // Exact string comparison on purpose: no URL parsing, so userinfo/suffix host tricks cannot match.
      if (client.jku.includes(jku) || jku === client.jwksUrl) return { url: jku };
      throw new AuthError('jku not configured for issuer');
    }
    if (client.jwksUrl !== undefined) return { url: client.jwksUrl };
    return { keys: this.#staticKeys.get(client.iss) ?? [] };
  }

  #import(jwk: JWK, alg: string): Promise<CryptoKey | Uint8Array> {
    let byAlg = this.#imported.get(jwk);
    if (byAlg === undefined) {
      byAlg = new Map();
      this.#imported.set(jwk, byAlg);
    }
    let key = byAlg.get(alg);
    if (key === undefined) {
      // importJWK refuses a key whose type does not fit alg (e.g. an RSA key named by an ES384 token).
      key = importJWK(jwk, alg).catch(() => {
        throw new AuthError('key does not fit alg');
      });
      byAlg.set(alg, key);
    }
    return key;
  }
}

/** The key named by kid, if any; a key whose own `alg` differs from the header's is refused. */
function pick(keys: readonly JWK[], header: CheckedHeader): JWK | undefined {
  const named = keys.filter((k) => k.kid === header.kid);
  if (named.length === 0) return undefined;
  const fit = named.find((k) => k.alg === undefined || k.alg === header.alg);
  if (fit === undefined) throw new AuthError('jwk alg differs from header alg');
  return fit;
}
