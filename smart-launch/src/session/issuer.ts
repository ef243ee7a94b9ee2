/** Which allowlisted FHIR server a launch is for — decided before anything leaves the browser. */
import { sameIssuer, type AppConfig, type AppIssuer } from '../../../src/smart/app-config.js';
import { LaunchError } from './errors.js';

/**
 * URL parameters fhirclient would read from the launch URL and let override Augur's own settings:
 * `fhirServiceUrl` skips authorization altogether, `clientId` swaps the client, `patientId` presets a
 * patient. An EHR sends only `iss` and `launch`; a link carrying these is refused.
 */
export const REFUSED_PARAMS = ['fhirServiceUrl', 'clientId', 'patientId'] as const;

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
