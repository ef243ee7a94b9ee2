/**
 * Augur's configuration, validated once at start-up. Every default lives here.
 * Two sources: plain settings from environment variables, and the trusted-client file named by
 * `AUGUR_CONFIG` (JSON or YAML). See the README's "Configuration" section.
 */
import { z } from 'zod';
import { isIP } from 'node:net';

/** Asymmetric JWS algorithms only: `none` and every HMAC algorithm are refused by construction. */
export const JwsAlgorithm = z.enum([
  'ES256',
  'ES384',
  'ES512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'EdDSA',
]);
export type JwsAlgorithm = z.infer<typeof JwsAlgorithm>;

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' });

const Jwks = z.object({ keys: z.array(z.record(z.string(), z.unknown())).min(1) });

export const TrustedClientSchema = z
  .object({
    /** The `iss` the EHR puts in its JWTs, exactly. */
    iss: z.string().min(1),
    jwksUrl: httpUrl.optional(),
    jwks: Jwks.optional(),
    /** `jku` header values accepted for this issuer (each must be listed here; others are refused). */
    jku: z.array(httpUrl).default([]),
    algorithms: z.array(JwsAlgorithm).min(1),
    /** FHIR server base URLs this client may ask Augur to call (SSRF guard). */
    fhirServers: z.array(httpUrl).default([]),
    /** When set, the JWT's `tenant` claim must be one of these. */
    tenants: z.array(z.string().min(1)).min(1).optional(),
    /** Medplum sends `null` for templates it could not resolve: fetch those keys instead of reading "no data". */
    refetchNullPrefetch: z.boolean().default(false),
    /**
     * Testing only: this client may reset a patient's card history (`DELETE /api/testing/card-history`).
     * Off unless set to `true`; never give it to a production EHR.
     */
    allowHistoryReset: z.boolean().optional(),
    /**
     * Testing only: this client may ask for the trace of a hook call (header `Augur-Trace: 1` → the
     * response's `extension["augur-trace"]`, src/trace) and for the reasons its own token would be
     * refused (`POST /api/auth/diagnose`). The trace is PHI: off unless set to `true`.
     */
    trace: z.boolean().default(false),
    /**
     * This client (a scheduler, authenticated like a hook call) may start population scoring runs
     * (`POST /api/populations/score`, src/population-api) when `populations.enabled`. Off unless `true`.
     */
    allowPopulationScoring: z.boolean().optional(),
  })
  .strict()
  .refine((c) => (c.jwksUrl === undefined) !== (c.jwks === undefined), {
    message: 'exactly one of "jwksUrl" or "jwks" is required',
    path: ['jwksUrl'],
  });
export type TrustedClient = z.infer<typeof TrustedClientSchema>;

export const LimitsSchema = z
  .object({
    bodyBytes: z
      .number()
      .int()
      .positive()
      .default(1024 * 1024),
    jsonDepth: z.number().int().positive().default(64),
    prefetchBundleEntries: z.number().int().positive().default(5000),
    headerBytes: z
      .number()
      .int()
      .positive()
      .default(16 * 1024),
    fhirDeadlineMs: z.number().int().positive().default(1000),
    fhirResponseBytes: z
      .number()
      .int()
      .positive()
      .default(5 * 1000 * 1000),
    fhirMaxPages: z.number().int().positive().default(10),
    unauthenticatedPerIpPerMinute: z.number().int().positive().default(60),
    perIssuerPerMinute: z.number().int().positive().default(600),
    /** POST /api/models/{id}/evaluate calls per client IP per minute (the side app's what-if uses it). */
    evaluatePerIpPerMinute: z.number().int().positive().default(600),
    shutdownGraceMs: z.number().int().positive().default(10_000),
    /**
     * On SIGTERM, how long to keep serving (with /readyz already 503 and every answer `Connection: close`)
     * before closing the listener, so a load balancer's health check takes the replica out of its pool
     * first. Behind a balancer set it above the check's fall × interval (deploy/haproxy.cfg: 2 × 1 s → 3000).
     */
    drainDelayMs: z.number().int().nonnegative().default(0),
    maxTokenLifetimeSeconds: z.number().int().positive().default(3600),
    clockSkewSeconds: z.number().int().nonnegative().default(60),
  })
  .strict();
export type Limits = z.infer<typeof LimitsSchema>;

/** An origin only (scheme, host, port), e.g. `https://ehr.example.org` — what a CSP source names. */
const httpOrigin = httpUrl.refine((u) => new URL(u).origin === u.replace(/\/$/, ''), {
  message: 'must be an origin (scheme://host[:port]) without a path',
});

/** The SMART side app (smart-launch/): who may launch it and what its CSP allows. No secrets: a public client. */
export const SmartAppSchema = z
  .object({
    /** The client id registered with the EHRs' authorization servers. */
    clientId: z.string().min(1).default('augur'),
    /** The `issMatch` allowlist: FHIR server bases (`iss`) the app may be launched from. */
    issuers: z
      .array(
        z
          .object({
            iss: httpUrl,
            /** Shown in the standalone-launch chooser. Defaults to the iss host. */
            name: z.string().min(1).optional(),
            /** Further origins the browser must reach for this EHR (its token endpoint), for CSP connect-src. */
            connectOrigins: z.array(httpOrigin).default([]),
          })
          .strict(),
      )
      .default([]),
    /** EHR origins allowed to embed the app in a frame (CSP frame-ancestors); empty: no framing. */
    frameAncestors: z.array(httpOrigin).default([]),
    /** Result reads (`GET /api/results/:id`) allowed per client IP per minute. */
    resultsPerIpPerMinute: z.number().int().positive().default(60),
  })
  .strict();
export type SmartAppConfig = z.infer<typeof SmartAppSchema>;

const baseUrl = httpUrl.refine((u) => !u.endsWith('/'), 'must not end with "/"');

const LOOPBACK_HOSTNAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The monitoring page's SMART (OpenID Connect) administrator login (src/monitoring/admin-login.ts):
 * the issuer, the client id Augur is registered under there (a public client: PKCE S256, no secret;
 * redirect URI `{publicBaseUrl}/api/monitoring/login/callback`), and the admin users by ID token
 * `fhirUser` (e.g. `Practitioner/123` or its absolute URL) or `sub`.
 */
export const MonitoringAdminSchema = z
  .object({
    issuer: httpUrl.refine((u) => {
      const url = new URL(u);
      return url.protocol === 'https:' || LOOPBACK_HOSTNAMES.has(url.hostname);
    }, 'must be https (plain http only on a loopback address)'),
    clientId: z.string().min(1),
    users: z.array(z.string().min(1)).min(1),
  })
  .strict();
export type MonitoringAdminConfig = z.infer<typeof MonitoringAdminSchema>;

/** Order-select → order-sign de-duplication: one ordering session = same encounter, within this window. */
export const OrderSessionSchema = z
  .object({
    /** Hours after an order-select card during which order-sign does not repeat it for the same order. */
    windowHours: z
      .number()
      .positive()
      .max(24 * 30)
      .default(12),
  })
  .strict();

export const SuggestionsSchema = z
  .object({
    /**
     * How a "replace the drug" suggestion is expressed: `update` (default) — one `update` of the draft
     * order (same id, new medication and dose); `delete-create` — delete the draft, create a new one.
     */
    replaceStyle: z.enum(['update', 'delete-create']).default('update'),
  })
  .strict();
export type ReplaceStyle = z.infer<typeof SuggestionsSchema>['replaceStyle'];

/**
 * `POST /api/populations/score` (src/population-api): population scoring for schedulers, off by default.
 * The population comes from one FHIR server's Bulk Data `$export`, read with SMART Backend Services
 * (this Augur's client id at that server's authorization server and its private JWK).
 */
export const PopulationsSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** Where each run's export and outputs are kept (`<dir>/<run id>/`). */
    dir: z.string().min(1).default('data/populations'),
    fhir: z
      .object({
        /** The FHIR server's base URL (its `.well-known/smart-configuration` names the token endpoint). */
        baseUrl: baseUrl,
        /** Augur's client id at that server's authorization server. */
        clientId: z.string().min(1),
        /** A file holding Augur's private JWK (alg RS384 or ES384), whose public half is registered there. */
        keyFile: z.string().min(1),
        /** Scopes to ask for (default `system/*.rs` or `system/*.read`, whichever the server speaks). */
        scope: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
    /** Worker threads per run (0: the request thread's event loop). */
    workers: z.number().int().min(0).max(64).default(1),
    /** Runs at once; more answer 429. */
    maxConcurrentRuns: z.number().int().min(1).max(16).default(1),
  })
  .strict()
  .refine((p) => !p.enabled || p.fhir !== undefined, {
    message: 'populations.enabled needs populations.fhir (the FHIR server to export from)',
    path: ['fhir'],
  });
export type PopulationsConfig = z.infer<typeof PopulationsSchema>;

export const FileConfigSchema = z
  .object({
    /**
     * The public base URL(s) EHRs call (JWT `aud` is checked against URLs under them; the first is where
     * cards link). No trailing slash. Default: `http://{HOST}:{PORT}` as Augur listens.
     */
    publicBaseUrl: z.union([baseUrl, z.array(baseUrl).min(1)]).optional(),
    clients: z.array(TrustedClientSchema).default([]),
    /** Order-select → order-sign de-duplication scope (see `orderSession`). */
    orderSession: OrderSessionSchema.default(OrderSessionSchema.parse({})),
    /** The shape of suggested FHIR actions. */
    suggestions: SuggestionsSchema.default(SuggestionsSchema.parse({})),
    /** Permit plain-http FHIR servers (local testing only; announced at start-up). */
    allowInsecureFhirServers: z.boolean().default(false),
    /**
     * Accept calls with no JWT — only when Augur listens on loopback; announced loudly at start-up.
     * Such calls may only name loopback FHIR servers.
     */
    allowUnauthenticatedLoopback: z.boolean().default(false),
    cors: z
      .object({
        /** Exact origins allowed to call from a browser, e.g. `https://sandbox.cds-hooks.org`. */
        origins: z.array(httpUrl).default([]),
        /** Allow any origin (development only). */
        allowAnyOrigin: z.boolean().default(false),
      })
      .strict()
      .default({ origins: [], allowAnyOrigin: false }),
    /** Where the SMART side app is launched from (cards link here). Defaults to `{publicBaseUrl}/smart-launch/launch.html`. */
    smartLaunchUrl: httpUrl.optional(),
    /** The SMART side app's launch allowlist, CSP origins and result-read limit. */
    smartApp: SmartAppSchema.default(SmartAppSchema.parse({})),
    /** Per-service switches, by service id. */
    services: z.record(z.string(), z.object({ enabled: z.boolean() }).strict()).default({}),
    /** Card policy: alert-fatigue suppression, per-card switches, how long results stay retrievable. */
    cards: z
      .object({
        /** Days an overridden card stays silent for the same patient while its band is unchanged. */
        overrideSuppressionDays: z.number().int().min(0).max(3650).default(30),
        /** Card ids (as in `cards/*.json`) a site switches off, e.g. `cv-statin-suggestion`. */
        disabled: z.array(z.string().min(1)).default([]),
        /** Hours the result behind a card can be opened from the side app. */
        resultTtlHours: z
          .number()
          .positive()
          .max(24 * 90)
          .default(24),
      })
      .strict()
      .default({ overrideSuppressionDays: 30, disabled: [], resultTtlHours: 24 }),
    /** The monitoring page's SMART admin login (off when absent; the page then takes the token only). */
    monitoring: z.object({ admin: MonitoringAdminSchema.optional() }).strict().default({}),
    /** FHIR-native results (src/fhir-results). */
    fhirResults: z
      .object({
        /** Add each new result's RiskAssessments to the hook response as `systemActions` (create). Off by default. */
        systemActions: z.boolean().default(false),
      })
      .strict()
      .default({ systemActions: false }),
    /**
     * Site settings models read (`"source": "setting"` inputs), e.g. `{"kfre-region": "north_america"}`.
     * Documented in each model's README. KFRE's region defaults to North America (the original
     * calibration, Tangri 2011); sites elsewhere set `"kfre-region": "other"` (Tangri 2016).
     */
    modelSettings: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
      .default({ 'kfre-region': 'north_america' }),
    limits: LimitsSchema.default(LimitsSchema.parse({})),
    /** Population scoring for schedulers (`POST /api/populations/score`); off by default. */
    populations: PopulationsSchema.default(PopulationsSchema.parse({})),
    /**
     * The load balancers in front of Augur (addresses or CIDRs, Express `trust proxy` syntax): from these
     * peers the client address is taken from `X-Forwarded-For`, so per-IP limits (unauthenticated
     * failures, result reads, what-if) count each client, not the balancer. Empty (default): no proxy
     * is trusted and the peer address is the client. Never list addresses clients can reach directly.
     */
    trustProxy: z
      .array(
        z.string().refine(isProxyAddress, {
          error: 'must be an IP address, a CIDR (10.0.0.0/8) or loopback / linklocal / uniquelocal',
        }),
      )
      .default([]),
  })
  .strict();
/** The file as written (publicBaseUrl optional, a string or a list). */
export type FileConfigInput = z.infer<typeof FileConfigSchema>;

/** The validated file: `publicBaseUrl` is the primary public URL, `publicBaseUrls` every accepted one. */
export interface FileConfig extends Omit<FileConfigInput, 'publicBaseUrl'> {
  publicBaseUrl: string;
  publicBaseUrls: readonly string[];
}

/** Express `trust proxy` entries: an address, a CIDR, or one of proxy-addr's named ranges. */
function isProxyAddress(v: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(v)) return true;
  const [addr = '', bits, ...rest] = v.split('/');
  const family = isIP(addr);
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d+$/.test(bits) && n <= (family === 4 ? 32 : 128);
}

const port = z.coerce.number().int().min(0).max(65535);

export const EnvSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(8080),
  AUGUR_DATA_DIR: z.string().min(1).default('./data'),
  AUGUR_CONFIG: z.string().min(1).optional(),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }).optional(),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// URL' }).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.enum(['production', 'development', 'test']).default('development'),
  /** Extra model package folders (path-delimiter separated), served like the built-ins in models/. */
  AUGUR_MODELS_DIR: z.string().min(1).optional(),
  /** A broken model package stops start-up (default) or is left out and reported. */
  AUGUR_ON_BROKEN_MODEL: z.enum(['refuse-to-start', 'skip']).default('refuse-to-start'),
  /** Bearer token for GET /metrics and the monitoring page; unset: both are off (404). ≥ 32 characters. */
  AUGUR_METRICS_TOKEN: z.string().min(32, 'use at least 32 random characters').optional(),
  /**
   * Worker processes (node:cluster) sharing the port: a number, or `auto` (one per available core).
   * Unset: `auto` in production with DATABASE_URL and REDIS_URL, else 1. More than one needs both — the
   * embedded store is single-process, and replay cache and rate limits must be shared (src/cluster).
   */
  AUGUR_WORKERS: z.union([z.literal('auto'), z.coerce.number().int().min(1).max(256)]).optional(),
});
export type EnvConfig = z.infer<typeof EnvSchema>;

/** The whole, validated configuration handed to `createApp`. */
export interface Config extends FileConfig {
  env: EnvConfig;
  /** True when response invariants are asserted on every response (not in production). */
  assertResponses: boolean;
}
