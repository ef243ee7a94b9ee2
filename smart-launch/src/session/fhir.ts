/**
 * FHIR reads with the app's token, only ever against the server the app was launched with: a relative
 * URL resolves under that base, and an absolute one — including a Bundle's `next` link — must stay under
 * it (fhirclient alone would follow a foreign `next` link with the token attached).
 */
import type * as ClientModule from 'fhirclient/lib/Client.js';
import type { Bundle, Resource } from 'fhir/r4.js';
import { LaunchError, MESSAGES, isNetworkFailure } from './errors.js';

/** fhirclient's Client (a CommonJS default export: `.default` in both Bundler and NodeNext resolution). */
type Client = ClientModule.default;

export interface FhirReadOptions {
  /** As fhirclient: 1 (default) the first page only, n up to n pages, 0 every page (at most MAX_PAGES). */
  pageLimit?: number;
  /** Return the entries' resources (across pages) instead of Bundles. */
  flat?: boolean;
}

export const MAX_PAGES = 100;

function baseOf(client: Client): string {
  return `${client.state.serverUrl.replace(/\/+$/, '')}/`;
}

/** The absolute URL for `url` when it lies under the server base, else a thrown Error. */
export function underBase(base: string, url: string): string {
  const absolute = new URL(url, base).href;
  if (!absolute.startsWith(base))
    throw new Error('Augur reads only from the FHIR server it was launched with.');
  return absolute;
}

async function get(client: Client, url: string): Promise<unknown> {
  try {
    return await client.request<unknown>(
      { url, headers: { accept: 'application/fhir+json' } },
      { pageLimit: 1, flat: false },
    );
  } catch (err) {
    if ((err as { status?: unknown }).status === 401) throw new LaunchError('expired', MESSAGES.expired);
    if (isNetworkFailure(err)) throw new LaunchError('unreachable', MESSAGES.unreachable);
    throw err;
  }
}

function isBundle(v: unknown): v is Bundle {
  return typeof v === 'object' && v !== null && (v as { resourceType?: unknown }).resourceType === 'Bundle';
}

export async function fhirRead(client: Client, url: string, options: FhirReadOptions = {}): Promise<unknown> {
  const base = baseOf(client);
  const first = await get(client, underBase(base, url));
  if (!isBundle(first)) return first;
  const limit = options.pageLimit ?? 1;
  const pages: Bundle[] = [first];
  for (;;) {
    if ((limit !== 0 && pages.length >= limit) || pages.length >= MAX_PAGES) break;
    const next = pages[pages.length - 1]?.link?.find((l) => l.relation === 'next')?.url;
    if (next === undefined) break;
    const page = await get(client, underBase(base, next));
    if (!isBundle(page)) break;
    pages.push(page);
  }
  if (options.flat === true)
    return pages.flatMap((b) => (b.entry ?? []).flatMap((e): Resource[] => (e.resource ? [e.resource] : [])));
  return limit === 1 ? first : pages;
}
