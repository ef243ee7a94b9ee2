/**
 * A test EHR: real ES384 and RS384 key pairs, its JWKS served over real HTTP on 127.0.0.1, and a
 * `sign()` that makes CDS Hooks JWTs — valid by default, with every header field and claim overridable
 * so tests can build attack tokens.
 *
 * ```ts
 * const ehr = await startEhr({ iss: 'https://ehr.example.com' });
 * const auth = createAuthenticator({ clients: [ehr.client], ... });
 * const token = await ehr.sign({ aud: `${base}/cds-services/x` });      // ES384, 5-minute lifetime
 * await request(app).post('/cds-services/x').set('Authorization', `Bearer ${token}`);
 * await ehr.stop();
 * ```
 */
import { constants, KeyObject, randomUUID, sign as cryptoSign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import type { TrustedClient } from '../../src/config/schema.js';

export type EhrKeyAlg = 'ES384' | 'RS384';

export interface EhrKey {
  kid: string;
  privateKey: CryptoKey;
  /** The public JWK as published, with kid, alg and use. */
  publicJwk: JWK;
}

/**
 * What to sign. Claims and header fields left out get valid defaults; a field given as `undefined` is
 * omitted from the token (to test "missing" cases); any other value — of any type — is used as is.
 */
export interface SignOptions {
  /** The exact URL of the endpoint called. */
  aud: unknown;
  /** Header `alg` and the signing algorithm (default: the key's own, ES384). Must suit the key. */
  alg?: string;
  /** Which key pair signs (default ES384, or RS384 when `alg` starts with RS/PS). */
  key?: EhrKeyAlg;
  kid?: unknown;
  typ?: unknown;
  jku?: unknown;
  iss?: unknown;
  /** NumericDate seconds; default now. */
  iat?: unknown;
  /** Default iat + 300 (the CDS Hooks sandbox's lifetime). */
  exp?: unknown;
  jti?: unknown;
  nbf?: unknown;
  tenant?: unknown;
  sub?: unknown;
  /** Further header parameters (e.g. an embedded `jwk`); these may even override `alg` without changing the signing. */
  header?: Record<string, unknown>;
  /** Further claims. */
  claims?: Record<string, unknown>;
}

export interface Ehr {
  iss: string;
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
  /** Where the JWKS is served. Any other GET path serves it too (for configured `jku` URLs). */
  jwksUrl: string;
  keys: Readonly<Record<EhrKeyAlg, EhrKey>>;
  /** The JWKS document served; tests may replace its keys. */
  jwks: { keys: JWK[] };
  /** A TrustedClient for this EHR: `{ iss, jwksUrl, algorithms: ['ES384', 'RS384'] }` plus overrides. */
  client: TrustedClient;
  trustedClient(overrides?: Partial<TrustedClient>): TrustedClient;
  sign(options: SignOptions): Promise<string>;
  /** JWKS requests served so far. */
  readonly jwksRequests: number;
  /** While true, the JWKS endpoint answers 503. */
  down: boolean;
  stop(): Promise<void>;
}

async function makeKey(alg: EhrKeyAlg, kid: string): Promise<EhrKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { kid, privateKey, publicJwk };
}

/** Starts a test EHR on 127.0.0.1 (port 0). Default iss: its own base URL. */
export async function startEhr(options: { iss?: string } = {}): Promise<Ehr> {
  const tag = randomUUID().slice(0, 8);
  const keys = { ES384: await makeKey('ES384', `es-${tag}`), RS384: await makeKey('RS384', `rs-${tag}`) };
  const state = { requests: 0, down: false, jwks: { keys: [keys.ES384.publicJwk, keys.RS384.publicJwk] } };
  const server = createServer((_req, res) => {
    state.requests++;
    if (state.down) {
      res.writeHead(503).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(state.jwks));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const iss = options.iss ?? baseUrl;
  const jwksUrl = `${baseUrl}/.well-known/jwks.json`;
  const trustedClient = (overrides: Partial<TrustedClient> = {}): TrustedClient => {
    const client: TrustedClient = {
      iss,
      jwksUrl,
      jku: [],
      algorithms: ['ES384', 'RS384'],
      fhirServers: [],
      refetchNullPrefetch: false,
      trace: false,
      ...overrides,
    };
    // A static `jwks` replaces the URL: a TrustedClient has exactly one of the two.
    if (overrides.jwks !== undefined && overrides.jwksUrl === undefined) delete client.jwksUrl;
    return client;
  };
  return {
    iss,
    baseUrl,
    jwksUrl,
    keys,
    jwks: state.jwks,
    client: trustedClient(),
    trustedClient,
    sign: (o) =>
      new Promise((resolve) => {
        resolve(signToken(keys, iss, o));
      }),
    get jwksRequests() {
      return state.requests;
    },
    get down() {
      return state.down;
    },
    set down(value: boolean) {
      state.down = value;
    },
    stop: () => stopServer(server),
  };
}

function signToken(keys: Record<EhrKeyAlg, EhrKey>, iss: string, o: SignOptions): string {
  const keyAlg: EhrKeyAlg = o.key ?? (o.alg !== undefined && /^(RS|PS)/.test(o.alg) ? 'RS384' : 'ES384');
  const key = keys[keyAlg];
  const alg = o.alg ?? keyAlg;
  const now = Math.floor(Date.now() / 1000);
  const iat = pick(o, 'iat', now);
  const exp = pick(o, 'exp', (typeof iat === 'number' ? iat : now) + 300);
  const header = clean({
    alg,
    kid: pick(o, 'kid', key.kid),
    typ: pick(o, 'typ', 'JWT'),
    jku: o.jku,
    ...o.header,
  });
  const payload = clean({
    iss: pick(o, 'iss', iss),
    aud: o.aud,
    exp,
    iat,
    jti: pick(o, 'jti', randomUUID()),
    nbf: o.nbf,
    tenant: o.tenant,
    sub: o.sub,
    ...o.claims,
  });
  const signingInput = `${encodePart(header)}.${encodePart(payload)}`;
  return `${signingInput}.${Buffer.from(signWith(alg, key.privateKey, signingInput)).toString('base64url')}`;
}

/**
 * Signs with node:crypto rather than jose, which (rightly) refuses to sign some of the headers attack
 * tests need, such as an unknown `crit`, and binds a WebCrypto RSA key to one hash.
 */
function signWith(alg: string, privateKey: CryptoKey, signingInput: string): Uint8Array {
  const hash = `sha${alg.slice(2)}`;
  const key = KeyObject.from(privateKey);
  if (alg.startsWith('ES'))
    return cryptoSign(hash, Buffer.from(signingInput), { key, dsaEncoding: 'ieee-p1363' });
  if (alg.startsWith('PS')) {
    const pss = {
      key,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
    };
    return cryptoSign(hash, Buffer.from(signingInput), pss);
  }
  if (alg.startsWith('RS')) return cryptoSign(hash, Buffer.from(signingInput), key);
  throw new Error(`ehr-signer cannot sign ${alg}; use forgeToken`);
}

/** The option's value when the caller set the key (even to undefined), else the default. */
function pick(o: SignOptions, name: keyof SignOptions, fallback: unknown): unknown {
  return Object.hasOwn(o, name) ? o[name] : fallback;
}

function clean(obj: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined));
}

function stopServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve, reject) => {
    server.close((err) => {
      if (err === undefined) resolve();
      else reject(err);
    });
  });
}

/** Encodes a compact JWS from raw parts, for tokens no honest signer would make (alg none, HS256 …). */
export function forgeToken(
  header: unknown,
  payload: unknown,
  signature: Uint8Array | string = 'c2ln',
): string {
  const sig = typeof signature === 'string' ? signature : Buffer.from(signature).toString('base64url');
  return `${encodePart(header)}.${encodePart(payload)}.${sig}`;
}

function encodePart(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
