/**
 * Every rule a CDS Hooks 2.0.1 response must satisfy (cds-resp-1..6 and the field rules), checked on
 * the wire shape. Tests run every emitted response through it; outside production the invoke route
 * asserts it on each response, so a card that breaks the spec fails loudly in development.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ABSOLUTE_URL = /^https?:\/\/[^\s]+$/;
const RESOURCE_ID = /^[A-Z][A-Za-z]+\/[A-Za-z0-9.-]{1,64}$/;
/** Raw HTML in Markdown: an opening or closing tag. */
const HTML_TAG = /<\/?[a-zA-Z][\w-]*(\s[^>]*)?>/;
export const SUMMARY_MAX = 139;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Length in Unicode code points (what a reader counts as characters, near enough). */
function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}
const nonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

/** No `null`, `""`, `[]` or `{}` anywhere below `value` (optional fields are omitted instead). */
function findEmpty(value: unknown, path: string, out: string[]): void {
  if (value === null || value === '') out.push(`${path}: empty value (omit optional fields instead)`);
  else if (Array.isArray(value)) {
    if (value.length === 0) out.push(`${path}: empty array (omit optional fields instead)`);
    value.forEach((v, i) => {
      findEmpty(v, `${path}[${i}]`, out);
    });
  } else if (isObj(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) out.push(`${path}: empty object (omit optional fields instead)`);
    for (const [k, v] of entries) findEmpty(v, `${path}.${k}`, out);
  }
}

function checkAction(a: unknown, path: string, out: string[]): void {
  if (!isObj(a)) {
    out.push(`${path}: must be an object`);
    return;
  }
  if (!['create', 'update', 'delete'].includes(a['type'] as string))
    out.push(`${path}.type: must be create|update|delete`);
  if (!nonEmptyString(a['description'])) out.push(`${path}.description: required (cds-resp-5)`);
  if (a['type'] === 'delete') {
    if (typeof a['resourceId'] !== 'string' || !RESOURCE_ID.test(a['resourceId']))
      out.push(`${path}.resourceId: delete needs Type/id (cds-resp-2)`);
    if (a['resource'] !== undefined)
      out.push(`${path}.resource: delete uses resourceId, not resource (cds-resp-2)`);
  } else if (a['type'] === 'create' || a['type'] === 'update') {
    if (!isObj(a['resource']) || !nonEmptyString(a['resource']['resourceType']))
      out.push(`${path}.resource: ${a['type']} carries the whole resource`);
  }
}

function checkSuggestions(card: Obj, path: string, out: string[]): void {
  const suggestions = card['suggestions'];
  if (suggestions === undefined) {
    if (card['selectionBehavior'] !== undefined) out.push(`${path}.selectionBehavior: only with suggestions`);
    return;
  }
  if (!Array.isArray(suggestions)) {
    out.push(`${path}.suggestions: must be an array`);
    return;
  }
  const behavior = card['selectionBehavior'];
  if (behavior !== 'at-most-one' && behavior !== 'any')
    out.push(`${path}.selectionBehavior: required with suggestions (cds-resp-6)`);
  const recommended = suggestions.filter((s) => isObj(s) && s['isRecommended'] === true).length;
  if (behavior === 'at-most-one' && recommended > 1)
    out.push(`${path}.suggestions: at most one isRecommended with at-most-one (cds-resp-1)`);
  suggestions.forEach((s, i) => {
    const sp = `${path}.suggestions[${i}]`;
    if (!isObj(s)) {
      out.push(`${sp}: must be an object`);
      return;
    }
    if (!nonEmptyString(s['label'])) out.push(`${sp}.label: required`);
    if (typeof s['uuid'] !== 'string' || !UUID.test(s['uuid'])) out.push(`${sp}.uuid: required UUID`);
    const actions = s['actions'];
    if (actions !== undefined && !Array.isArray(actions)) out.push(`${sp}.actions: must be an array`);
    if (Array.isArray(actions)) {
      actions.forEach((a, j) => {
        checkAction(a, `${sp}.actions[${j}]`, out);
      });
    }
  });
}

function checkLinksAndReasons(card: Obj, path: string, out: string[]): void {
  const links = card['links'];
  if (Array.isArray(links)) {
    links.forEach((l, i) => {
      const lp = `${path}.links[${i}]`;
      if (!isObj(l)) {
        out.push(`${lp}: must be an object`);
        return;
      }
      if (!nonEmptyString(l['label'])) out.push(`${lp}.label: required`);
      if (typeof l['url'] !== 'string' || !ABSOLUTE_URL.test(l['url']))
        out.push(`${lp}.url: absolute URL required`);
      if (l['type'] !== 'absolute' && l['type'] !== 'smart') out.push(`${lp}.type: must be absolute|smart`);
      if (l['appContext'] !== undefined && l['type'] !== 'smart')
        out.push(`${lp}.appContext: only on smart links (cds-resp-3)`);
    });
  }
  const reasons = card['overrideReasons'];
  if (Array.isArray(reasons)) {
    reasons.forEach((r, i) => {
      if (!isObj(r) || !nonEmptyString(r['code']) || !nonEmptyString(r['display'])) {
        out.push(`${path}.overrideReasons[${i}]: a Coding with code and display (cds-resp-4)`);
      }
    });
  }
}

function checkCard(card: unknown, path: string, out: string[]): void {
  if (!isObj(card)) {
    out.push(`${path}: must be an object`);
    return;
  }
  if (typeof card['uuid'] !== 'string' || !UUID.test(card['uuid'])) out.push(`${path}.uuid: required UUID`);
  const summary = card['summary'];
  if (!nonEmptyString(summary)) out.push(`${path}.summary: required`);
  else if (codePoints(summary) > SUMMARY_MAX)
    out.push(`${path}.summary: ${codePoints(summary)} characters, limit ${SUMMARY_MAX}`);
  if (!['info', 'warning', 'critical'].includes(card['indicator'] as string))
    out.push(`${path}.indicator: must be info|warning|critical`);
  const source = card['source'];
  if (!isObj(source) || !nonEmptyString(source['label'])) out.push(`${path}.source.label: required`);
  else if (
    source['url'] !== undefined &&
    (typeof source['url'] !== 'string' || !ABSOLUTE_URL.test(source['url']))
  ) {
    out.push(`${path}.source.url: absolute URL required`);
  }
  if (typeof card['detail'] === 'string' && HTML_TAG.test(card['detail']))
    out.push(`${path}.detail: raw HTML is not allowed in Markdown`);
  checkSuggestions(card, path, out);
  checkLinksAndReasons(card, path, out);
}

/** Lists every violation in a CDS Hooks response (empty when valid). */
export function responseViolations(response: unknown): string[] {
  const out: string[] = [];
  if (!isObj(response) || !Array.isArray(response['cards'])) return ['cards: required array'];
  response['cards'].forEach((c, i) => {
    checkCard(c, `cards[${i}]`, out);
    findEmpty(c, `cards[${i}]`, out);
  });
  const systemActions = response['systemActions'];
  if (systemActions !== undefined) {
    if (!Array.isArray(systemActions)) out.push('systemActions: must be an array');
    else {
      systemActions.forEach((a, i) => {
        checkAction(a, `systemActions[${i}]`, out);
      });
      findEmpty(systemActions, 'systemActions', out);
    }
  }
  return out;
}

export class InvariantViolation extends Error {
  override name = 'InvariantViolation';
}

/** Throws when `response` breaks any CDS Hooks response rule (used outside production). */
export function assertResponse(response: unknown): void {
  const v = responseViolations(response);
  if (v.length > 0) throw new InvariantViolation(`CDS response breaks the spec: ${v.join('; ')}`);
}
