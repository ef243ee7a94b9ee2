/** `$validate` and validation on writes, with Medplum's structure-definition validator. */
import type { OperationOutcome, OperationOutcomeIssue } from 'fhir/r4.js';
import type { Medplum } from './medplum.js';

type MedplumResource = Parameters<Medplum['core']['validateResource']>[0];

/**
 * Validates a resource (or a `Parameters` carrying one as `resource`, the `$validate` input form).
 * Medplum's `validateResource` throws an OperationOutcomeError on errors and returns warnings.
 */
export function validateOutcome(medplum: Medplum, body: unknown): OperationOutcome {
  const resource = unwrap(body);
  if (resource === undefined) {
    return issues([{ severity: 'error', code: 'structure', diagnostics: 'body is not a FHIR resource' }]);
  }
  try {
    const warnings = medplum.core.validateResource(resource as MedplumResource) as OperationOutcomeIssue[];
    return issues(
      warnings.length > 0
        ? warnings
        : [{ severity: 'information', code: 'informational', diagnostics: 'All OK' }],
    );
  } catch (err) {
    const oo = (err as { outcome?: OperationOutcome }).outcome;
    if (oo?.resourceType === 'OperationOutcome') return oo;
    throw err;
  }
}

function unwrap(body: unknown): { resourceType: string } | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const r = body as { resourceType?: unknown; parameter?: { name?: string; resource?: unknown }[] };
  if (r.resourceType === 'Parameters') {
    const inner = r.parameter?.find((p) => p.name === 'resource')?.resource;
    return unwrap(inner);
  }
  return typeof r.resourceType === 'string' ? (body as { resourceType: string }) : undefined;
}

function issues(issue: OperationOutcomeIssue[]): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue };
}
