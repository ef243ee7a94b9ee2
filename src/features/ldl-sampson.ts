/**
 * LDL-C calculated by Augur when the lab reported none: the Sampson/NIH equation (NIH equation 2),
 * Sampson M et al., JAMA Cardiol 2020;5(5):540–548, doi:10.1001/jamacardio.2020.0013. The constants,
 * the validity limit (TG ≤ 800 mg/dL), the input value sets and the flag label are data:
 * models/derivations/ldl-sampson-nih.json. Pure and browser-safe.
 */
import { z } from 'zod';
import equationJson from '../../models/derivations/ldl-sampson-nih.json' with { type: 'json' };
import { resolveQuantity } from './observations.js';
import type { FhirResource, Flag, Resolved } from './types.js';
import { resolved } from './types.js';
import type { ValueSetIndex } from './valuesets.js';

const positive = z.number().positive();
const Input = z
  .object({ valueSet: z.string().min(1), molarMass: positive, label: z.string().min(1) })
  .strict();
const Citation = z.object({ text: z.string().min(1), doi: z.string().min(1), url: z.url() }).strict();

export const LdlEquationFile = z
  .object({
    $comment: z.string(),
    id: z.literal('ldl-sampson-nih'),
    name: z.string().min(1),
    shortName: z.string().min(1),
    flagLabel: z.string().min(1),
    citation: Citation,
    equation: z.string().min(1),
    coefficients: z
      .object({
        tcDivisor: positive,
        hdlDivisor: positive,
        tgDivisor: positive,
        tgNonHdlDivisor: positive,
        tgSquaredDivisor: positive,
        constant: z.number(),
      })
      .strict(),
    maxTriglyceridesMgDl: positive,
    validityRationale: z.string().min(1),
    inputs: z.object({ totalCholesterol: Input, hdlCholesterol: Input, triglycerides: Input }).strict(),
    molarMassRationale: z.string().min(1),
    output: z.object({ system: z.url(), code: z.string().min(1), display: z.string().min(1) }).strict(),
    sameDraw: z.string().min(1),
    rationale: z.string().min(1),
  })
  .strict();
export type LdlEquation = z.infer<typeof LdlEquationFile>;

/** The equation data, checked at import (a malformed file stops start-up). */
export const LDL_SAMPSON: LdlEquation = LdlEquationFile.parse(equationJson);

/** LDL-C in mg/dL from TC, HDL-C and TG in mg/dL; undefined above the validated TG limit. */
export function sampsonLdl(
  tcMgDl: number,
  hdlMgDl: number,
  tgMgDl: number,
  eq: LdlEquation = LDL_SAMPSON,
): number | undefined {
  if (tgMgDl > eq.maxTriglyceridesMgDl) return undefined;
  const c = eq.coefficients;
  const nonHdl = tcMgDl - hdlMgDl;
  return (
    tcMgDl / c.tcDivisor -
    hdlMgDl / c.hdlDivisor -
    (tgMgDl / c.tgDivisor + (tgMgDl * nonHdl) / c.tgNonHdlDivisor - tgMgDl ** 2 / c.tgSquaredDivisor) -
    c.constant
  );
}

interface Ctx {
  resources: readonly FhirResource[];
  now: Date;
  index: ValueSetIndex;
}
type Window = { lookbackDays: number; staleAfterDays: number };

const MS_PER_DAY = 86_400_000;
const LDL_UNIT = 'mg/dL';

/** "total cholesterol 240 mg/dL (Observation/a, 2026-09-01)". */
const described = (label: string, r: Resolved): string =>
  `${label} ${String(Math.round(r.value as number))} mg/dL (${[r.source, r.date?.slice(0, 10)].filter((x) => x !== undefined).join(', ')})`;

/**
 * The calculated LDL-C, or null with a note saying what is missing (or why it is not calculated).
 * Dated and sourced by the oldest of the three results; flagged `derived` plus their flags.
 */
export function calculatedLdl(window: Window, ctx: Ctx, eq: LdlEquation = LDL_SAMPSON): Resolved {
  const read = (input: LdlEquation['inputs'][keyof LdlEquation['inputs']]): Resolved =>
    resolveQuantity(
      { valueSet: input.valueSet, unit: LDL_UNIT, molarMass: input.molarMass, ...window },
      ctx.resources,
      ctx.now,
      ctx.index,
    );
  const parts = [
    { input: eq.inputs.totalCholesterol, r: read(eq.inputs.totalCholesterol) },
    { input: eq.inputs.hdlCholesterol, r: read(eq.inputs.hdlCholesterol) },
    { input: eq.inputs.triglycerides, r: read(eq.inputs.triglycerides) },
  ] as const;
  const flags = [...new Set(parts.flatMap((p) => p.r.flags))];
  const absent = parts.filter((p) => typeof p.r.value !== 'number').map((p) => p.input.label);
  if (absent.length > 0)
    return resolved(null, {
      flags,
      notes: [
        `no LDL-C reported, and no ${absent.join(' or ')} on file to calculate it (the ${eq.shortName} needs total cholesterol, HDL-C and triglycerides)`,
      ],
    });
  const [tc, hdl, tg] = parts.map((p) => p.r) as [Resolved, Resolved, Resolved];
  const times = parts.map((p) => Date.parse(p.r.date ?? ''));
  const spreadDays = (Math.max(...times) - Math.min(...times)) / MS_PER_DAY;
  if (!(spreadDays <= window.staleAfterDays))
    return resolved(null, {
      flags,
      notes: [
        `no LDL-C reported, and total cholesterol, HDL-C and triglycerides are more than ${String(window.staleAfterDays)} days apart, so LDL-C is not calculated from them`,
      ],
    });
  const value = sampsonLdl(tc.value as number, hdl.value as number, tg.value as number, eq);
  if (value === undefined)
    return resolved(null, {
      flags,
      notes: [
        `no LDL-C reported, and triglycerides ${String(Math.round(tg.value as number))} mg/dL are above ${String(eq.maxTriglyceridesMgDl)} mg/dL, the limit the ${eq.shortName} was validated for, so LDL-C is not calculated (a direct LDL-C is needed)`,
      ],
    });
  const oldest = parts.map((p) => p.r).reduce((a, b) => ((b.date ?? '') < (a.date ?? '') ? b : a));
  const from = parts.map((p) => described(p.input.label, p.r)).join(', ');
  return {
    ...oldest,
    value,
    unit: LDL_UNIT,
    flags: [...new Set<Flag>(['derived', ...flags])],
    notes: [`${eq.flagLabel} from ${from}`, ...parts.flatMap((p) => p.r.notes)],
  };
}
