/**
 * Each template resolved against the real FHIR server, as an EHR fills prefetch: searches are
 * gathered across pages into one complete searchset (Augur is given no FHIR server to page through).
 */
export async function prefetchFor(
  templates: Record<string, string>,
  fhirBase: string,
): Promise<Record<string, unknown>> {
  interface Page {
    resourceType: string;
    entry?: unknown[];
    link?: { relation: string; url: string }[];
  }
  const out: Record<string, unknown> = {};
  for (const [key, template] of Object.entries(templates)) {
    const query = template
      .replaceAll('{{context.patientId}}', 'p1')
      .replaceAll('{{context.userId}}', 'Practitioner/dr1');
    let url: string | undefined = `${fhirBase}/${query}`;
    let first: Page | undefined;
    const entries: unknown[] = [];
    while (url !== undefined) {
      const res = await fetch(url);
      if (res.status !== 200)
        throw new Error(`prefetch ${key}: FHIR server answered ${String(res.status)} for ${query}`);
      const page = (await res.json()) as Page;
      first ??= page;
      entries.push(...(page.entry ?? []));
      url = page.resourceType === 'Bundle' ? page.link?.find((l) => l.relation === 'next')?.url : undefined;
    }
    out[key] =
      first?.resourceType === 'Bundle'
        ? { resourceType: 'Bundle', type: 'searchset', total: entries.length, entry: entries }
        : first;
  }
  return out;
}
