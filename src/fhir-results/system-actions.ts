/**
 * The site switch `fhirResults.systemActions`: the hook response also carries each new result's
 * RiskAssessments as CDS Hooks `systemActions` (type create), for EHRs that store them. The resource
 * names its model by display only (the EHR holds no Augur Device to reference); the full Device,
 * model card and Provenance are at GET /api/results/{id}/fhir.
 */
import type { Action } from '../cds/types.js';
import type { StoredResult } from '../store/types.js';
import type { ModelManifest } from '../models/manifest.js';
import { currentRegistry, type RegistrySource } from '../models/startup.js';
import type { Config } from '../config/schema.js';
import { asResultPayload } from './bundle.js';
import { fhirId } from './model-resources.js';
import { riskAssessment } from './risk-assessment.js';

/** The create actions for the results a hook call stored (none for runs without a number). */
export function riskAssessmentActions(
  results: readonly StoredResult[],
  manifestOf: (id: string, version: string) => ModelManifest | undefined,
): Action[] {
  return results.flatMap((r) => {
    const payload = asResultPayload(r.payload);
    if (payload === undefined) return [];
    const ok = payload.runs.flatMap((run) => (run.status === 'ok' ? [run] : []));
    return ok.map((run, i): Action => {
      const resource = riskAssessment({
        id: fhirId(`augur-${r.id}-${String(i)}`),
        patientRef: r.patientRef,
        computedAt: payload.computedAt,
        run,
        manifest: manifestOf(run.model.id, run.model.version),
        card: i === 0 ? payload.card : undefined,
        deviceReference: false,
      });
      const { id: _serverAssigns, ...withoutId } = resource;
      return {
        type: 'create',
        description: `Store the ${run.model.name} risk assessment (Augur)`,
        resource: withoutId,
      };
    });
  });
}

/** The manifest of a model at exactly `version`, if that version is the one loaded. */
export function manifestLookup(
  models: RegistrySource,
): (id: string, version: string) => ModelManifest | undefined {
  return (id, version) => {
    const m = currentRegistry(models).get(id)?.manifest;
    return m?.version === version ? m : undefined;
  };
}

/** The systemActions hook for createApp when the site switched it on (`fhirResults.systemActions`), else undefined. */
export function systemActionsFor(
  config: Pick<Config, 'fhirResults'>,
  models: RegistrySource,
): ((results: readonly StoredResult[]) => Action[]) | undefined {
  if (!config.fhirResults.systemActions) return undefined;
  const lookup = manifestLookup(models);
  return (results) => riskAssessmentActions(results, lookup);
}
