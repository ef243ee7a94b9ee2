/**
 * The public model card: the manifest as validated (it holds no secrets and no patient data — it is
 * package data a site can inspect), its HTI-1 source attributes (which say by name what is missing),
 * plus the evaluate endpoint's path.
 */
import type { ModelManifest } from './manifest.js';
import type { ResolvedSourceAttributes } from '../transparency/resolve.js';

export type ModelCard = ModelManifest & {
  sourceAttributes?: ResolvedSourceAttributes;
  links: { evaluate: string };
};

/** The card served by GET /api/models/:id (the attributes are passed when the package has been loaded). */
export function modelCard(manifest: ModelManifest, sourceAttributes?: ResolvedSourceAttributes): ModelCard {
  return {
    ...structuredClone(manifest),
    ...(sourceAttributes === undefined ? {} : { sourceAttributes: structuredClone(sourceAttributes) }),
    links: { evaluate: `/api/models/${manifest.id}/evaluate` },
  };
}
