/**
 * Value sets (models/valuesets.json) and the RxNorm SCD/SBD → ingredient map
 * (models/rxnorm-ingredients.json): validated with zod, compiled into an index for matching codings.
 * Medication value sets list RxNorm ingredients; at load, the clinical-drug codes whose ingredients
 * are in a set are added to it, so orders coded at SCD/SBD level match too.
 */
import { escapeRegExp } from './text.js';
import { z } from 'zod';
import { normalizeCode, normalizeSystem, SYSTEMS } from './systems.js';

const kebab = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'value-set ids are kebab-case');
const CodingDef = z
  .object({ system: z.string().min(1), code: z.string().min(1), display: z.string().min(1).optional() })
  .strict();
const PrefixDef = z.object({ system: z.string().min(1), prefix: z.string().min(1) }).strict();
const ValueSetDef = z
  .object({
    id: kebab,
    description: z.string().min(1),
    citation: z.string().min(1),
    aliases: z.array(kebab).optional(),
    codes: z.array(CodingDef),
    codePrefixes: z.array(PrefixDef).optional(),
  })
  .strict()
  .refine(
    (v) => v.codes.length + (v.codePrefixes?.length ?? 0) > 0,
    'a value set needs codes or codePrefixes',
  );
const ValueSetFile = z
  .object({ version: z.string().min(1), date: z.string().optional(), valueSets: z.array(ValueSetDef).min(1) })
  .strict();

const RxnormMapFile = z
  .object({
    version: z.string().min(1),
    date: z.string().optional(),
    system: z.literal(SYSTEMS.rxnorm),
    description: z.string().optional(),
    sources: z.record(z.string(), z.string()),
    entries: z.array(
      z
        .object({
          code: z.string().regex(/^\d+$/),
          display: z.string().min(1),
          tty: z.enum(['SCD', 'SBD', 'GPCK', 'BPCK']),
          ingredients: z.array(z.string().regex(/^\d+$/)).min(1),
          source: z.string().min(1),
        })
        .strict(),
    ),
  })
  .strict()
  .refine((f) => f.entries.every((e) => e.source in f.sources), 'every entry names one of "sources"');

export interface CompiledValueSet {
  readonly id: string;
  readonly description: string;
  readonly citation: string;
  /** `system|code` keys (system and code normalised). */
  readonly codes: ReadonlySet<string>;
  readonly prefixes: readonly { system: string; prefix: string }[];
  /** Lower-case displays of the listed codes (ingredient names), for the display-text fallback. */
  readonly names: readonly string[];
}

export interface ValueSetIndex {
  readonly version: string;
  readonly sets: ReadonlyMap<string, CompiledValueSet>;
  /** RxNorm SCD/SBD code → ingredient codes. */
  readonly rxnormIngredients: ReadonlyMap<string, readonly string[]>;
}

export class ValueSetError extends Error {
  override name = 'ValueSetError';
}

export const keyOf = (system: string, code: string): string => {
  const s = normalizeSystem(system);
  return `${s}|${normalizeCode(s, code)}`;
};

/** Validate and compile value sets (and optionally the RxNorm ingredient map). Throws naming the value set. */
export function loadValueSets(json: unknown, options: { rxnormIngredients?: unknown } = {}): ValueSetIndex {
  const file = parseValueSets(json);
  const rx = options.rxnormIngredients === undefined ? undefined : parseRxnormMap(options.rxnormIngredients);
  const rxnormIngredients = new Map(rx?.entries.map((e) => [e.code, e.ingredients] as const) ?? []);
  const sets = new Map<string, CompiledValueSet>();
  for (const def of file.valueSets) {
    const compiled = compile(def, rxnormIngredients);
    for (const id of [def.id, ...(def.aliases ?? [])]) {
      if (sets.has(id))
        throw new ValueSetError(`value set "${def.id}": id or alias "${id}" is defined twice`);
      sets.set(id, compiled);
    }
  }
  return { version: file.version, sets, rxnormIngredients };
}

function parseValueSets(json: unknown): z.infer<typeof ValueSetFile> {
  const parsed = ValueSetFile.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue?.path ?? [];
  let where = 'valuesets.json';
  if (path[0] === 'valueSets' && typeof path[1] === 'number') {
    const id = idAt(json, path[1]);
    where = `value set ${id === undefined ? `#${path[1]}` : `"${id}"`}`;
  }
  const field = path.slice(path[0] === 'valueSets' ? 2 : 0).join('.');
  throw new ValueSetError(`${where}: ${field === '' ? '' : `${field}: `}${issue?.message ?? 'invalid'}`);
}

function idAt(json: unknown, i: number): string | undefined {
  if (typeof json !== 'object' || json === null || !('valueSets' in json)) return undefined;
  const list: unknown = json.valueSets;
  const item: unknown = Array.isArray(list) ? list[i] : undefined;
  if (typeof item !== 'object' || item === null || !('id' in item)) return undefined;
  return typeof item.id === 'string' ? item.id : undefined;
}

function parseRxnormMap(json: unknown): z.infer<typeof RxnormMapFile> {
  const parsed = RxnormMapFile.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ValueSetError(
    `rxnorm-ingredients.json: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
  );
}

function compile(
  def: z.infer<typeof ValueSetDef>,
  rxnormIngredients: ReadonlyMap<string, readonly string[]>,
): CompiledValueSet {
  const codes = new Set(def.codes.map((c) => keyOf(c.system, c.code)));
  const ingredients = new Set(
    def.codes.filter((c) => normalizeSystem(c.system) === SYSTEMS.rxnorm).map((c) => c.code),
  );
  for (const [product, ins] of rxnormIngredients) {
    if (ins.some((i) => ingredients.has(i))) codes.add(keyOf(SYSTEMS.rxnorm, product));
  }
  const prefixes = (def.codePrefixes ?? []).map((p) => {
    const system = normalizeSystem(p.system);
    return { system, prefix: normalizeCode(system, p.prefix) };
  });
  const names = def.codes.flatMap((c) => (c.display === undefined ? [] : [c.display.toLowerCase()]));
  return { id: def.id, description: def.description, citation: def.citation, codes, prefixes, names };
}

/** The compiled value set, or a thrown error naming the missing id (a manifest/value-set mismatch). */
export function getValueSet(index: ValueSetIndex, id: string): CompiledValueSet {
  const vs = index.sets.get(id);
  if (vs === undefined) throw new ValueSetError(`unknown value set "${id}" (not in models/valuesets.json)`);
  return vs;
}

export interface CodingLike {
  system?: string | undefined;
  code?: string | undefined;
}

/** True when the coding's system and code are in the value set, exactly or by code prefix. */
export function inValueSet(coding: CodingLike, vs: CompiledValueSet): boolean {
  if (coding.system === undefined || coding.code === undefined) return false;
  const system = normalizeSystem(coding.system);
  const code = normalizeCode(system, coding.code);
  if (vs.codes.has(`${system}|${code}`)) return true;
  return vs.prefixes.some((p) => p.system === system && code.startsWith(p.prefix));
}

export function conceptInValueSet(
  concept: { coding?: CodingLike[] | undefined } | undefined,
  vs: CompiledValueSet,
): boolean {
  return (concept?.coding ?? []).some((c) => inValueSet(c, vs));
}

/** The value-set name found as a whole word in free text (e.g. "Atorvastatin 20mg tab"), if any. */
export function nameInText(text: string, vs: CompiledValueSet): string | undefined {
  const lower = text.toLowerCase();
  return vs.names.find((name) => new RegExp(`(^|[^a-z])${escapeRegExp(name)}([^a-z]|$)`).test(lower));
}
