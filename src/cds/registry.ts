import { notFound } from '../http/errors.js';

/** A caller-supplied service id made safe to echo or store: service-id characters only, at most 64. */
export const safeServiceId = (id: string): string => id.replace(/[^A-Za-z0-9._-]/g, '?').slice(0, 64);
import type { CdsService, ServiceDefinition } from './service.js';
import { HOOK_VERSIONS } from './types.js';

/**
 * The services Augur offers, as registered at start-up, minus those a site switched off and those off by
 * default (`defaultEnabled: false`) that the site did not switch on.
 * Ids are unique across hooks (the cds-hooks sandbox keys services by URL: same id, two hooks, one lost).
 */
export class ServiceRegistry {
  readonly #services = new Map<string, CdsService>();

  constructor(
    services: readonly CdsService[],
    switches: Readonly<Record<string, { enabled: boolean }>> = {},
  ) {
    for (const s of services) {
      const id = s.definition.id;
      if (this.#services.has(id)) throw new Error(`duplicate CDS service id "${id}"`);
      if (!(switches[id]?.enabled ?? s.defaultEnabled ?? true)) continue;
      this.#services.set(id, s);
    }
  }

  definitions(): ServiceDefinition[] {
    return [...this.#services.values()].map((s) => s.definition);
  }

  /** The service, or 404 with an OperationOutcome. */
  get(id: string): CdsService {
    const s = this.#services.get(id);
    if (s === undefined) throw notFound(`No CDS service "${safeServiceId(id)}"`);
    return s;
  }
}

/** Discovery entry for one service (CDS Hooks 2.0.1 §Discovery), omitting empty optional fields. */
export function discoveryEntry(d: ServiceDefinition): Record<string, unknown> {
  const prefetch = Object.fromEntries(Object.entries(d.prefetch).map(([k, p]) => [k, p.query]));
  return {
    hook: d.hook,
    id: d.id,
    title: d.title,
    description: d.description,
    ...(Object.keys(prefetch).length > 0 ? { prefetch } : {}),
    ...(d.usageRequirements === undefined ? {} : { usageRequirements: d.usageRequirements }),
    // 3.0-ballot fields, harmless to 2.0 clients (cds-hooks.md): the hook definition's version and the
    // protocol version Augur speaks.
    hookVersion: HOOK_VERSIONS[d.hook],
    version: '2.0.1',
  };
}
