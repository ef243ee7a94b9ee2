/**
 * The public model card: the manifest as validated (it holds no secrets and no patient data — it is
 * package data a site can inspect), plus the evaluate endpoint's path.
 */
import type { ModelManifest } from './manifest.js';

export type ModelCard = ModelManifest & { links: { evaluate: string } };

export function modelCard(manifest: ModelManifest): ModelCard {
  return { ...structuredClone(manifest), links: { evaluate: `/api/models/${manifest.id}/evaluate` } };
}
