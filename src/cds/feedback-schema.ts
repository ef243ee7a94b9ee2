/** Validation of CDS Hooks 2.0.1 feedback (invariants cds-fb-1..3), tolerant of older client shapes. */
import { z } from 'zod';
import { badRequest } from '../http/errors.js';
import { invalidRequest } from './validation-error.js';
import type { FeedbackItem } from './types.js';

const UUIDish = z.string().min(1).max(128);
const coding = z.looseObject({
  system: z.string().optional(),
  code: z.string().min(1),
  display: z.string().optional(),
});

const item = z
  .looseObject({
    card: UUIDish,
    // cds-fb-1
    outcome: z.enum(['accepted', 'overridden'], { error: 'must be "accepted" or "overridden" (cds-fb-1)' }),
    acceptedSuggestions: z.array(z.looseObject({ id: UUIDish })).optional(),
    overrideReason: z.looseObject({}).optional(),
    outcomeTimestamp: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }),
  })
  .superRefine((f, ctx) => {
    // cds-fb-2: an accepted outcome names the accepted suggestions.
    if (
      f.outcome === 'accepted' &&
      (f.acceptedSuggestions === undefined || f.acceptedSuggestions.length === 0)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['acceptedSuggestions'],
        message: 'required when outcome is "accepted" (cds-fb-2)',
      });
    }
  });

const body = z.looseObject({ feedback: z.array(item).min(1).max(100) });

/**
 * Older clients send `overrideReason` as a bare Coding `{code, system}` instead of `{reason: Coding}`;
 * accept both. cds-fb-3: an override reason carries a reason or a userComment.
 */
function normaliseOverrideReason(raw: Record<string, unknown>, i: number): FeedbackItem['overrideReason'] {
  const where = `feedback[${i}].overrideReason`;
  const bare = coding.safeParse(raw);
  const reasonRaw = raw['reason'] ?? (bare.success ? bare.data : undefined);
  const reason = reasonRaw === undefined ? undefined : coding.safeParse(reasonRaw);
  if (reason !== undefined && !reason.success)
    throw badRequest(`${where}.reason: must be a Coding with a code`, `${where}.reason`);
  const comment = raw['userComment'];
  if (comment !== undefined && typeof comment !== 'string')
    throw badRequest(`${where}.userComment: must be a string`, `${where}.userComment`);
  if (reason === undefined && comment === undefined) {
    throw badRequest(`${where}: needs a reason or a userComment (cds-fb-3)`, where);
  }
  const r = reason?.data;
  return {
    ...(r === undefined
      ? {}
      : {
          reason: {
            code: r.code,
            ...(r.system === undefined ? {} : { system: r.system }),
            ...(r.display === undefined ? {} : { display: r.display }),
          },
        }),
    ...(typeof comment === 'string' ? { userComment: comment } : {}),
  };
}

export function validateFeedback(raw: unknown): FeedbackItem[] {
  const parsed = body.safeParse(raw);
  if (!parsed.success) throw invalidRequest(parsed.error);
  return parsed.data.feedback.map((f, i) => {
    const overrideReason =
      f.overrideReason === undefined ? undefined : normaliseOverrideReason(f.overrideReason, i);
    return {
      card: f.card,
      outcome: f.outcome,
      outcomeTimestamp: f.outcomeTimestamp,
      ...(f.acceptedSuggestions === undefined
        ? {}
        : { acceptedSuggestions: f.acceptedSuggestions.map((s) => ({ id: s.id })) }),
      ...(overrideReason === undefined ? {} : { overrideReason }),
    };
  });
}
