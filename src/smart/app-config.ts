/**
 * What Augur serves the side app as `/smart-launch/config.json`: public launch settings only (no
 * secrets — the app is a public SMART client). Pure types and a pure check, shared by the server (which
 * builds it) and the browser (which refuses anything that does not match).
 */

export interface AppIssuer {
  /** A FHIR server base URL the app may be launched from (`iss`), exactly as the EHR sends it. */
  iss: string;
  /** A label for the standalone-launch chooser, e.g. "Example Health EHR". */
  name: string;
}

export interface AppConfig {
  clientId: string;
  /** Scopes for an EHR launch: `launch openid fhirUser patient/<Type>.rs …`. */
  ehrScopes: string;
  /** Scopes for a standalone launch: `launch/patient` instead of `launch`. */
  standaloneScopes: string;
  /** The redirect URI, relative to launch.html (`index.html`). */
  redirectPath: string;
  /** The `issMatch` allowlist. */
  issuers: AppIssuer[];
  /** The site's model settings (e.g. `kfre-region`), so the app computes what the cards compute. */
  modelSettings: Record<string, string | number | boolean>;
}

/** A stored result's id (`newResultId` in src/cards/result.ts: 16 random bytes, base64url), as appContext carries it. */
export const RESULT_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isIssuer(v: unknown): v is AppIssuer {
  return isRecord(v) && typeof v['iss'] === 'string' && typeof v['name'] === 'string';
}

function isSettings(v: unknown): v is AppConfig['modelSettings'] {
  return (
    isRecord(v) &&
    Object.values(v).every((x) => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean')
  );
}

/** The config when `value` has the AppConfig shape, else undefined. */
export function asAppConfig(value: unknown): AppConfig | undefined {
  if (!isRecord(value)) return undefined;
  const { clientId, ehrScopes, standaloneScopes, redirectPath, issuers, modelSettings } = value;
  if (
    typeof clientId !== 'string' ||
    typeof ehrScopes !== 'string' ||
    typeof standaloneScopes !== 'string' ||
    typeof redirectPath !== 'string' ||
    !Array.isArray(issuers) ||
    !issuers.every(isIssuer) ||
    !isSettings(modelSettings)
  )
    return undefined;
  return { clientId, ehrScopes, standaloneScopes, redirectPath, issuers, modelSettings };
}

/** Issuers compare without a trailing slash (`…/fhir` and `…/fhir/` are the same server). */
export function sameIssuer(a: string, b: string): boolean {
  return a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
}
