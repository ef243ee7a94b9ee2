/**
 * The launch half (launch.html): check the `iss` against the allowlist before anything leaves the
 * browser, then hand over to fhirclient's `authorize` with PKCE required and a crypto-random state.
 */
import FHIR from 'fhirclient';
import type { fhirclient } from 'fhirclient/lib/types';
import { sameIssuer, type AppConfig, type AppIssuer } from '../../../src/smart/app-config.js';
import { loadAppConfig } from './config.js';
import { LaunchError } from './errors.js';
import { randomState } from './state.js';

/**
 * URL parameters fhirclient would read from the launch URL and let override Augur's own settings:
 * `fhirServiceUrl` skips authorization altogether, `clientId` swaps the client, `patientId` presets a
 * patient. An EHR sends only `iss` and `launch`; a link carrying these is refused.
 */
export const REFUSED_PARAMS = ['fhirServiceUrl', 'clientId', 'patientId'] as const;

export type LaunchStep = { kind: 'redirecting' } | { kind: 'choose'; issuers: AppIssuer[] };

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'an unrecognised address';
  }
}

/** The allowlisted issuer this launch is for, a chooser, or a LaunchError. */
export function pickIssuer(config: AppConfig, params: URLSearchParams): AppIssuer | 'choose' {
  for (const p of REFUSED_PARAMS) {
    if (params.has(p))
      throw new LaunchError('other', `This launch link carries "${p}", which Augur does not accept.`);
  }
  const requested = params.get('iss');
  if (requested === null) {
    if (params.has('launch'))
      throw new LaunchError('other', 'The EHR started a launch without naming its FHIR server (iss).');
    if (config.issuers.length === 0)
      throw new LaunchError('unknown-issuer', 'Augur has no EHR configured for launching.');
    if (config.issuers.length > 1) return 'choose';
    const [only] = config.issuers;
    if (only !== undefined) return only;
  }
  const match = config.issuers.find((i) => requested !== null && sameIssuer(i.iss, requested));
  if (match === undefined)
    throw new LaunchError(
      'unknown-issuer',
      `Augur is not set up for the FHIR server at ${hostOf(requested ?? '')}.`,
    );
  return match;
}

/** fhirclient accepts a list of configurations (picked by `issMatch`) but types only the single form. */
const authorize = FHIR.oauth2.authorize.bind(FHIR.oauth2) as (
  params: fhirclient.AuthorizeParams | fhirclient.AuthorizeParams[],
) => Promise<string | undefined>;

export async function beginLaunch(page: URL = new URL(location.href)): Promise<LaunchStep> {
  const config = await loadAppConfig(page);
  const picked = pickIssuer(config, page.searchParams);
  if (picked === 'choose') return { kind: 'choose', issuers: config.issuers };
  const ehr = page.searchParams.has('launch');
  const options = (issuer: AppIssuer): fhirclient.AuthorizeParams => ({
    clientId: config.clientId,
    scope: ehr ? config.ehrScopes : config.standaloneScopes,
    redirectUri: config.redirectPath,
    iss: issuer.iss,
    issMatch: (iss: string) => sameIssuer(iss, issuer.iss),
    pkceMode: 'required',
    stateKey: randomState(),
    completeInTarget: true,
  });
  // With `iss` in the URL fhirclient matches it against the allowlist itself (array form), a second check
  // after pickIssuer's; a standalone launch without one goes to the single configured server.
  await authorize(page.searchParams.has('iss') ? config.issuers.map(options) : options(picked));
  return { kind: 'redirecting' };
}
