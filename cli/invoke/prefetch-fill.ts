/**
 * Fills a service's prefetch the way an EHR does: each discovery template resolved for the patient and
 * run against the FHIR server (with its token), searches gathered across every page into one complete
 * searchset, so Augur needs no FHIR server to page through. A read that finds nothing is left out (the
 * key is absent, as the cds-hooks sandbox leaves failed keys out).
 */

interface Page {
  resourceType: string;
  entry?: unknown[];
  link?: { relation: string; url: string }[];
}

export interface FillOptions {
  fhirBase: string;
  patientId: string;
  userId?: string;
  token?: string;
}

export function resolveTemplate(template: string, o: FillOptions): string {
  return template
    .replaceAll('{{context.patientId}}', o.patientId)
    .replaceAll('{{context.userId}}', o.userId ?? 'Practitioner/augur-panel-clinician');
}

export async function fillPrefetch(
  templates: Readonly<Record<string, string>>,
  o: FillOptions,
): Promise<Record<string, unknown>> {
  const headers: Record<string, string> = { accept: 'application/fhir+json' };
  if (o.token !== undefined) headers.authorization = `Bearer ${o.token}`;
  const out: Record<string, unknown> = {};
  for (const [key, template] of Object.entries(templates)) {
    const query = resolveTemplate(template, o);
    let url: string | undefined = `${o.fhirBase}/${query}`;
    let first: Page | undefined;
    const entries: unknown[] = [];
    while (url !== undefined) {
      const res = await fetch(url, { headers });
      if (res.status === 404 && first === undefined) break;
      if (res.status !== 200)
        throw new Error(`prefetch ${key}: FHIR server answered ${String(res.status)} for ${query}`);
      const page = (await res.json()) as Page;
      first ??= page;
      entries.push(...(page.entry ?? []));
      url = page.resourceType === 'Bundle' ? page.link?.find((l) => l.relation === 'next')?.url : undefined;
    }
    if (first === undefined) continue;
    out[key] =
      first.resourceType === 'Bundle'
        ? { resourceType: 'Bundle', type: 'searchset', total: entries.length, entry: entries }
        : first;
  }
  return out;
}
