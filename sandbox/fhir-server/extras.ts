/**
 * What real FHIR clients need that Medplum's router leaves out: a CapabilityStatement, SMART
 * configuration, `fullUrl` and `self`/`next` links on search Bundles.
 */
import type { Bundle, CapabilityStatement, CapabilityStatementRestResource } from 'fhir/r4.js';
import type { Medplum } from './medplum.js';

/** Resource types advertised in `/metadata` (the ones Augur's services read). */
const ADVERTISED = [
  'Patient',
  'Observation',
  'Condition',
  'MedicationRequest',
  'MedicationStatement',
  'AllergyIntolerance',
  'Encounter',
  'Procedure',
  'DiagnosticReport',
  'Immunization',
  'Practitioner',
  'PractitionerRole',
  'RelatedPerson',
] as const;

export function capabilityStatement(medplum: Medplum): CapabilityStatement {
  const resource: CapabilityStatementRestResource[] = ADVERTISED.map((type) => ({
    type,
    interaction: [{ code: 'read' }, { code: 'search-type' }, { code: 'create' }, { code: 'update' }],
    searchParam: Object.values(medplum.core.getSearchParameters(type) ?? {}).map((sp) => ({
      name: sp.code,
      type: sp.type as 'string',
    })),
  }));
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2024-01-01',
    kind: 'instance',
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [{ mode: 'server', resource }],
  };
}

export interface SmartEndpoints {
  authorizationEndpoint: string;
  tokenEndpoint: string;
  /** The sandbox's authorization server adds these (SMART App Launch 2.x discovery). */
  issuer?: string;
  jwksUri?: string;
  introspectionEndpoint?: string;
  scopesSupported?: string[];
  grantTypesSupported?: string[];
}

/** SMART App Launch 2.x discovery, advertising PKCE S256 only. */
export function smartConfiguration(e: SmartEndpoints): Record<string, unknown> {
  return {
    ...(e.issuer === undefined ? {} : { issuer: e.issuer }),
    ...(e.jwksUri === undefined ? {} : { jwks_uri: e.jwksUri }),
    authorization_endpoint: e.authorizationEndpoint,
    token_endpoint: e.tokenEndpoint,
    ...(e.introspectionEndpoint === undefined ? {} : { introspection_endpoint: e.introspectionEndpoint }),
    grant_types_supported: e.grantTypesSupported ?? ['authorization_code'],
    code_challenge_methods_supported: ['S256'],
    // private_key_jwt: SMART Backend Services (client_credentials with a signed client assertion).
    token_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384'],
    scopes_supported: e.scopesSupported ?? [
      'openid',
      'fhirUser',
      'launch',
      'launch/patient',
      'patient/*.rs',
      'offline_access',
    ],
    response_types_supported: ['code'],
    capabilities: [
      'launch-ehr',
      'launch-standalone',
      'client-public',
      'client-confidential-asymmetric',
      'context-ehr-patient',
      'permission-v2',
    ],
  };
}

/**
 * Adds `fullUrl` to each entry and `self`/`next` links. Medplum's repository applies `_count` and
 * `_offset` and reports `total`, so the next page exists when offset + count < total.
 */
export function addSearchLinks(bundle: Bundle, baseUrl: string, relativeUrl: string): Bundle {
  const self = new URL(relativeUrl, `${baseUrl}/`);
  const count = positiveInt(self.searchParams.get('_count')) ?? 20;
  const offset = positiveInt(self.searchParams.get('_offset')) ?? 0;
  const link: NonNullable<Bundle['link']> = [{ relation: 'self', url: self.toString() }];
  if (bundle.total !== undefined && offset + count < bundle.total) {
    const next = new URL(self);
    next.searchParams.set('_offset', String(offset + count));
    next.searchParams.set('_count', String(count));
    link.push({ relation: 'next', url: next.toString() });
  }
  const entry = bundle.entry?.map((e) =>
    e.resource?.id === undefined
      ? e
      : { ...e, fullUrl: `${baseUrl}/${e.resource.resourceType}/${e.resource.id}` },
  );
  return { ...bundle, link, ...(entry === undefined ? {} : { entry }) };
}

function positiveInt(v: string | null): number | undefined {
  if (v === null || !/^\d+$/.test(v)) return undefined;
  return Number(v);
}
