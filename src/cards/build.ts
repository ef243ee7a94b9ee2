/**
 * Assembling CDS Hooks cards from card data and model results: uuids, the SMART link that carries only
 * the opaque result id, and the short Markdown detail (top contributing inputs with value, unit and
 * date; flags for missing, stale or defaulted inputs; the model and its citation).
 */
import { randomUUID } from 'node:crypto';
import type { Action, Card, CardSource, Coding, Indicator, Link, Suggestion } from '../cds/types.js';

export const SUMMARY_MAX = 139;

export interface CardParts {
  summary: string;
  indicator: Indicator;
  detail?: string;
  source: CardSource;
  suggestions?: { label: string; isRecommended?: boolean; actions: Action[] }[];
  selectionBehavior?: 'at-most-one' | 'any';
  overrideReasons?: readonly Coding[];
  links?: Link[];
}

/** A wire card with fresh uuids. A summary over 139 characters is a card-data bug: it throws. */
export function makeCard(parts: CardParts): Card {
  if (parts.summary.length > SUMMARY_MAX)
    throw new Error(
      `card summary is ${String(parts.summary.length)} characters (max ${String(SUMMARY_MAX)})`,
    );
  const suggestions: Suggestion[] = (parts.suggestions ?? []).map((s) => ({
    label: s.label,
    uuid: randomUUID(),
    ...(s.isRecommended === undefined ? {} : { isRecommended: s.isRecommended }),
    actions: s.actions,
  }));
  return {
    uuid: randomUUID(),
    summary: parts.summary,
    indicator: parts.indicator,
    ...(parts.detail === undefined || parts.detail === '' ? {} : { detail: parts.detail }),
    source: parts.source,
    ...(suggestions.length === 0
      ? {}
      : { suggestions, selectionBehavior: parts.selectionBehavior ?? 'at-most-one' }),
    ...(parts.overrideReasons === undefined || parts.overrideReasons.length === 0
      ? {}
      : { overrideReasons: [...parts.overrideReasons] }),
    ...(parts.links === undefined || parts.links.length === 0 ? {} : { links: parts.links }),
  };
}

/** The link that launches the side app on this result; `appContext` is the opaque id and nothing else. */
export function smartLink(launchUrl: string, resultId: string, label = 'Full explanation (Augur)'): Link {
  return { label, url: launchUrl, type: 'smart', appContext: resultId };
}

// The formatting helpers live in format.ts (browser-safe, also used by the side app).
export * from './format.js';
