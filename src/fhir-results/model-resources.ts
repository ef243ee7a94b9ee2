/**
 * A model as FHIR: an AI Device (type Artificial-Intelligence, name, version, manufacturer, model
 * number, the ONNX sha256, the model-card extension) and its model card as an AI-ModelCard
 * DocumentReference (Markdown, base64, plus the JSON card's URL). Pure functions of the manifest.
 */
import type { Device, DocumentReference } from 'fhir/r4.js';
import type { ModelManifest } from '../models/manifest.js';
import { AIAST, AUGUR, DEVICE_TYPE_CS, EXT, INPUTS_CS, PROFILE } from './codes.js';

/** FHIR ids allow [A-Za-z0-9-.]{1,64}. */
export function fhirId(text: string): string {
  return text.replace(/[^A-Za-z0-9.-]/g, '.').slice(0, 64);
}

export const deviceId = (m: Pick<ModelManifest, 'id' | 'version'>): string =>
  fhirId(`augur-${m.id}-${m.version}`);
export const modelCardId = (m: Pick<ModelManifest, 'id' | 'version'>): string =>
  fhirId(`augur-card-${m.id}-${m.version}`);

/** The stored run's model reference (src/cards/run-model.ts ModelRef). */
export interface ModelRefLike {
  id: string;
  version: string;
  name: string;
}

const TYPE = {
  coding: [
    {
      system: DEVICE_TYPE_CS,
      code: 'Artificial-Intelligence',
      display: 'All kinds of Artificial Intelligence',
    },
  ],
};

const AI_KIND: Record<ModelManifest['kind'], { code: string; display: string }> = {
  points: { code: 'Rule-Based-Systems', display: 'Rule-Based Systems' },
  equation: { code: 'Machine-Learning-Models', display: 'Machine Learning Models' },
  learned: { code: 'Machine-Learning-Models', display: 'Machine Learning Models' },
};

/**
 * The model as an AI Device. With only the stored run's model reference (the package has since been
 * replaced), the Device names the model and version but carries no hash or kind — nothing is guessed.
 */
export function modelDevice(m: ModelManifest | ModelRefLike): Device {
  if (!('onnx' in m)) {
    return {
      resourceType: 'Device',
      id: deviceId(m),
      meta: { profile: [PROFILE.device], security: [AIAST] },
      identifier: [{ system: AUGUR.model, value: `${m.id}|${m.version}` }],
      status: 'inactive',
      manufacturer: 'Augur open-source project (implementation)',
      deviceName: [{ name: m.name, type: 'model-name' }],
      modelNumber: m.id,
      type: TYPE,
      version: [{ value: m.version }],
      note: [
        { text: 'This model version is no longer loaded; its hash and model card are not available here.' },
      ],
    };
  }
  return {
    resourceType: 'Device',
    id: deviceId(m),
    meta: { profile: [PROFILE.device], security: [AIAST] },
    extension: [
      { url: EXT.aiKind, valueCodeableConcept: { coding: [{ system: DEVICE_TYPE_CS, ...AI_KIND[m.kind] }] } },
      { url: EXT.modelCard, valueReference: { reference: `DocumentReference/${modelCardId(m)}` } },
    ],
    identifier: [
      { system: AUGUR.model, value: `${m.id}|${m.version}` },
      { system: AUGUR.onnxSha256, value: m.onnx.sha256 },
    ],
    status: 'active',
    manufacturer:
      'Augur open-source project (implementation); the model’s developers are cited in its model card',
    deviceName: [{ name: m.name, type: 'model-name' }],
    modelNumber: m.id,
    type: TYPE,
    version: [{ value: m.version }],
  };
}

function markdown(m: ModelManifest): string {
  const list = (xs: readonly string[]): string => xs.map((x) => `- ${x}`).join('\n');
  return [
    `# ${m.name} (v${m.version})`,
    `**Intended use.** ${m.intendedUse}`,
    `**Intended users.** ${m.intendedUsers}`,
    `**Population.** ${m.population.description}`,
    `**Method.** ${m.development.method}`,
    `**Development data.** ${m.development.data}`,
    `**Validation.** ${m.development.validation}`,
    `## Limitations\n${list(m.limitations)}`,
    `## Citations\n${list(m.citations.map((c) => c.text + (c.doi === undefined ? '' : ` doi:${c.doi}`)))}`,
    `ONNX sha256: ${m.onnx.sha256}`,
  ].join('\n\n');
}

/** The model card as an AI-ModelCard DocumentReference; `cardUrl` is the JSON card (GET /api/models/{id}). */
export function modelCardDocument(m: ModelManifest, cardUrl: string): DocumentReference {
  return {
    resourceType: 'DocumentReference',
    id: modelCardId(m),
    meta: { profile: [PROFILE.modelCard] },
    status: 'current',
    type: { coding: [{ system: INPUTS_CS, code: 'AIModelCard', display: 'AI Model-Card' }] },
    category: [
      { coding: [{ system: INPUTS_CS, code: 'AIModelCardMarkdownFormat', display: 'Markdown Format' }] },
    ],
    description: `Model card for ${m.name} v${m.version}`,
    content: [
      {
        attachment: {
          contentType: 'text/markdown',
          data: Buffer.from(markdown(m), 'utf8').toString('base64'),
          title: `${m.name} — model card`,
        },
      },
      {
        attachment: {
          contentType: 'application/json',
          url: cardUrl,
          title: 'Model card with HTI-1 source attributes (JSON)',
        },
      },
    ],
  };
}
