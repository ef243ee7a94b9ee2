/**
 * The one indicator policy (cards/indicator-policy.json): what makes a card critical, warning or info,
 * by the situation the card describes. Every service asks here; none keeps its own indicator table.
 * Browser-safe (the side app shows the same badge).
 */
import { z } from 'zod';
import policyJson from '../../cards/indicator-policy.json' with { type: 'json' };
import type { Indicator } from '../cds/types.js';

export const SITUATIONS = [
  'harm-if-given',
  'action-recommended',
  'action-to-consider',
  'action-on-file',
  'context',
  'cannot-estimate',
] as const;
export type Situation = (typeof SITUATIONS)[number];

const Policy = z
  .object({
    $comment: z.string(),
    levels: z
      .array(
        z
          .object({
            indicator: z.enum(['critical', 'warning', 'info']),
            situations: z.array(z.enum(SITUATIONS)).min(1),
            rationale: z.string().min(1),
          })
          .strict(),
      )
      .length(3),
  })
  .strict();

/** The parsed policy; throws at import when the file is malformed or a situation is unmapped or doubled. */
export const INDICATOR_POLICY = ((): z.infer<typeof Policy> => {
  const p = Policy.parse(policyJson);
  const seen = p.levels.flatMap((l) => l.situations);
  for (const s of SITUATIONS) {
    const n = seen.filter((x) => x === s).length;
    if (n !== 1)
      throw new Error(`cards/indicator-policy.json: situation "${s}" is mapped ${String(n)} times`);
  }
  return p;
})();

/** The indicator for a card describing `situation`. */
export function indicatorFor(situation: Situation): Indicator {
  const level = INDICATOR_POLICY.levels.find((l) => l.situations.includes(situation));
  if (level === undefined) throw new Error(`no indicator for situation ${situation}`); // unreachable: checked at import
  return level.indicator;
}
