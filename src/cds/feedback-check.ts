/**
 * Feedback is only worth storing when it is about a card this service issued to this caller, and an
 * override names a reason the card offered: anything else would be a false success that pollutes the
 * alert-fatigue data (and the suppression built on it). Every item of a request is checked before any
 * is stored, so a request is stored whole or not at all.
 *
 * - unknown card uuid (including the README's literal `<card uuid>`), a card of another service, or
 *   a card issued to another issuer/tenant → 404 `not-found`, `feedback[i].card` (the three look the same
 *   from outside: a caller learns nothing about cards that are not its own);
 * - an override reason code the card did not offer → 422 `value`, `feedback[i].overrideReason.reason.code`.
 * A reason matches an offered one by code, and by system when the feedback names one (old clients and
 * the cds-hooks sandbox send `{code, system}` without `display`).
 */
import type { Logger } from 'pino';
import type { VerifiedCaller } from '../auth/types.js';
import { HttpError } from '../http/errors.js';
import type { CardShownRecord, Store } from '../store/types.js';
import type { FeedbackItem } from './types.js';

/** Why feedback was refused, for the log (identifiers of the request shape only, never values). */
export type FeedbackRefusal = 'unknown-card' | 'other-service' | 'other-caller' | 'reason-not-offered';

function sameCaller(card: CardShownRecord, caller: VerifiedCaller): boolean {
  return card.iss === caller.iss && (card.tenant ?? null) === (caller.tenant ?? null);
}

function reasonOffered(card: CardShownRecord, reason: { system?: string; code: string }): boolean {
  // Cards recorded before offered reasons were stored: nothing to check against.
  if (card.overrideReasons === undefined) return true;
  return card.overrideReasons.some(
    (o) => o.code === reason.code && (reason.system === undefined || o.system === reason.system),
  );
}

/**
 * Throws the 404/422 for the first item that fails; logs the refusal's kind and position only.
 * @returns the card each item is about, in item order (for the feedback metrics).
 */
export async function checkFeedback(
  store: Store,
  serviceId: string,
  items: readonly FeedbackItem[],
  caller: VerifiedCaller,
  log: Logger,
): Promise<CardShownRecord[]> {
  const cards: CardShownRecord[] = [];
  for (const [i, f] of items.entries()) {
    const card = await store.findCardShown(f.card);
    const refusal: FeedbackRefusal | undefined =
      card === undefined
        ? 'unknown-card'
        : card.serviceId !== serviceId
          ? 'other-service'
          : !sameCaller(card, caller)
            ? 'other-caller'
            : undefined;
    if (card === undefined || refusal !== undefined) {
      log.info({ reason: `${refusal} at feedback[${i}]` }, 'feedback refused, nothing stored');
      throw new HttpError(404, {
        code: 'not-found',
        diagnostics: `feedback[${i}].card: no card with this uuid was issued by ${serviceId} to this client; feedback is accepted only for cards from a hook response (nothing was stored)`,
        expression: `feedback[${i}].card`,
      });
    }
    const reason = f.overrideReason?.reason;
    if (f.outcome === 'overridden' && reason !== undefined && !reasonOffered(card, reason)) {
      log.info({ reason: `reason-not-offered at feedback[${i}]` }, 'feedback refused, nothing stored');
      const offered = (card.overrideReasons ?? []).map((o) => o.code).join(', ');
      throw new HttpError(422, {
        code: 'value',
        diagnostics: `feedback[${i}].overrideReason.reason.code: this card offered ${offered === '' ? 'no override reasons' : `only: ${offered}`} (nothing was stored)`,
        expression: `feedback[${i}].overrideReason.reason.code`,
      });
    }
    cards.push(card);
  }
  return cards;
}
