/**
 * A stored result (src/cards/result.ts) as FHIR R4 — the one mapping both the per-result endpoint and
 * population scoring use. Pure: the stored result and the loaded manifests in, a `collection` Bundle
 * out. Per successful model run: a RiskAssessment, the model's AI Device and AI-ModelCard
 * DocumentReference, and an AI Provenance (target the RiskAssessment, agent the Device, entities the
 * input resources and the model card). Runs that did not produce a number (not applicable, missing
 * data) produce no RiskAssessment: there is no assessment to store.
 */
import type { Bundle, BundleEntry, FhirResource, Provenance } from 'fhir/r4.js';
import { RESULT_PAYLOAD_VERSION, type ResultPayload } from '../cards/result.js';
import type { ModelManifest } from '../models/manifest.js';
import { AIAST, DEVICE_TYPE_CS, PROFILE } from './codes.js';
import { deviceId, fhirId, modelCardDocument, modelCardId, modelDevice } from './model-resources.js';
import { riskAssessment } from './risk-assessment.js';

export interface StoredResultLike {
  id: string;
  patientRef: string;
  payload: ResultPayload;
}

export interface FhirMappingOptions {
  /** The manifest of a model at exactly this version, if it is still loaded. */
  manifestOf(id: string, version: string): ModelManifest | undefined;
  /** Augur's public base URL (for the model card's JSON link), e.g. https://augur.example.org. */
  baseUrl: string;
}

function provenance(
  raId: string,
  computedAt: string,
  device: string,
  card: string | undefined,
  inputs: string[],
): Provenance {
  return {
    resourceType: 'Provenance',
    id: fhirId(`${raId}-prov`),
    meta: { profile: [PROFILE.provenance] },
    target: [{ reference: `RiskAssessment/${raId}` }],
    occurredDateTime: computedAt,
    recorded: computedAt,
    reason: [{ coding: [AIAST] }],
    agent: [
      {
        type: {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type',
              code: 'author',
              display: 'Author',
            },
          ],
        },
        role: [{ coding: [{ system: DEVICE_TYPE_CS, code: 'Artificial-Intelligence' }] }],
        who: { reference: `Device/${device}` },
      },
    ],
    entity: [
      ...inputs.map((reference) => ({ role: 'source' as const, what: { reference } })),
      ...(card === undefined
        ? []
        : [{ role: 'derivation' as const, what: { reference: `DocumentReference/${card}` } }]),
    ],
  };
}

/**
 * The stored payload, if it has the shape this mapping knows (version, timestamp, runs); undefined
 * for another payload version (the caller answers an error, never a partial mapping).
 */
export function asResultPayload(payload: unknown): ResultPayload | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const p = payload as Partial<ResultPayload>;
  return p.version === RESULT_PAYLOAD_VERSION && typeof p.computedAt === 'string' && Array.isArray(p.runs)
    ? (p as ResultPayload)
    : undefined;
}

/** The stored result as a Bundle (type collection). */
export function resultToFhir(result: StoredResultLike, o: FhirMappingOptions): Bundle {
  const resources: FhirResource[] = [];
  const seenModels = new Set<string>();
  const okRuns = result.payload.runs.flatMap((r) => (r.status === 'ok' ? [r] : []));
  okRuns.forEach((run, i) => {
    const manifest = o.manifestOf(run.model.id, run.model.version);
    const raId = fhirId(`augur-${result.id}-${String(i)}`);
    const ra = riskAssessment({
      id: raId,
      patientRef: result.patientRef,
      computedAt: result.payload.computedAt,
      run,
      manifest,
      card: i === 0 ? result.payload.card : undefined,
      deviceReference: true,
    });
    resources.push(ra);
    const key = `${run.model.id}|${run.model.version}`;
    if (!seenModels.has(key)) {
      seenModels.add(key);
      resources.push(modelDevice(manifest ?? run.model));
      if (manifest !== undefined)
        resources.push(
          modelCardDocument(manifest, `${o.baseUrl}/api/models/${encodeURIComponent(manifest.id)}`),
        );
    }
    const inputs = (ra.basis ?? []).flatMap((b) => (b.reference === undefined ? [] : [b.reference]));
    resources.push(
      provenance(
        raId,
        result.payload.computedAt,
        deviceId(run.model),
        manifest === undefined ? undefined : modelCardId(manifest),
        inputs,
      ),
    );
  });
  const entry: BundleEntry[] = resources.map((resource) => ({ resource }));
  return {
    resourceType: 'Bundle',
    id: fhirId(`augur-${result.id}`),
    meta: { security: [AIAST] },
    type: 'collection',
    timestamp: result.payload.computedAt,
    entry,
  };
}
