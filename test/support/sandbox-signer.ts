/**
 * Signs CDS Hooks JWTs the way the official cds-hooks sandbox (https://sandbox.cds-hooks.org, the React
 * EHR emulator) does — see shared/reference/cds-hooks.md "Real clients" and the sandbox's
 * `src/retrieve-data-helpers/jwt-generator.js`: ES384, a `kid`, and a `jku` header naming its published
 * key set on every token; `iss` https://sandbox.cds-hooks.org, `sub` its client id; `aud` = exactly the
 * URL it called (so `http://localhost:8080/…` when the tester typed localhost); `exp` = iat + 300 s;
 * a fresh `jti`. The private key is of course not the sandbox's: tests pin this key's public half (or
 * serve it where the sandbox's `jku` points).
 */
import { randomUUID, sign as cryptoSign, KeyObject } from 'node:crypto';
import { exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import type { TrustedClient } from '../../src/config/schema.js';

export const SANDBOX_ISS = 'https://sandbox.cds-hooks.org';
export const SANDBOX_JKU = 'https://sandbox.cds-hooks.org/.well-known/jwks.json';

export interface SandboxSigner {
  /** The public key set to pin (`jwks`) or to serve at {@link SANDBOX_JKU}. */
  jwks: { keys: JWK[] };
  kid: string;
  /** A token for a call to `url`, exactly as the sandbox builds it; `overrides` change header/claims. */
  sign(
    url: string,
    overrides?: { header?: Record<string, unknown>; claims?: Record<string, unknown> },
  ): string;
  /** A trusted-client entry pinning this key inline (no jwksUrl, no jku list). */
  pinnedClient(overrides?: Partial<TrustedClient>): TrustedClient;
}

const part = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

export async function sandboxSigner(): Promise<SandboxSigner> {
  const kid = randomUUID();
  const { privateKey, publicKey }: { privateKey: CryptoKey; publicKey: CryptoKey } = await generateKeyPair(
    'ES384',
    { extractable: true },
  );
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES384', use: 'sig' }] };
  return {
    jwks,
    kid,
    sign(url, overrides = {}) {
      const iat = Math.round(Date.now() / 1000);
      const header = { alg: 'ES384', typ: 'JWT', kid, jku: SANDBOX_JKU, ...overrides.header };
      const payload = {
        iss: SANDBOX_ISS,
        sub: 'cds-hooks-sandbox-client',
        aud: url,
        exp: iat + 300,
        iat,
        jti: randomUUID(),
        ...overrides.claims,
      };
      const input = `${part(header)}.${part(payload)}`;
      const sig = cryptoSign('sha384', Buffer.from(input), {
        key: KeyObject.from(privateKey),
        dsaEncoding: 'ieee-p1363',
      });
      return `${input}.${sig.toString('base64url')}`;
    },
    pinnedClient: (overrides = {}) => ({
      iss: SANDBOX_ISS,
      jwks,
      jku: [],
      algorithms: ['ES384'],
      fhirServers: [],
      refetchNullPrefetch: false,
      trace: false,
      ...overrides,
    }),
  };
}
