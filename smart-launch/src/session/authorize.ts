/**
 * The launch half (launch.html): check the `iss` against the allowlist before anything leaves the
 * browser, then hand over to fhirclient's `authorize` with PKCE required and a crypto-random state.
 */
import FHIR from 'fhirclient';
import type { fhirclient } from 'fhirclient/lib/types.js';
import { sameIssuer, type AppIssuer } from '../../../src/smart/app-config.js';
import { loadAppConfig } from './config.js';
import { pickIssuer } from './issuer.js';
import { randomState } from './state.js';

export type LaunchStep = { kind: 'redirecting' } | { kind: 'choose'; issuers: AppIssuer[] };

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
