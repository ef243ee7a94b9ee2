/**
 * Structure-aware mutations: a walk down an existing request (or FHIR resource) chooses a real element
 * by index at each level, then replaces it with a value of the wrong kind, deletes it, or plants a
 * `__proto__` key there. Every choice comes from fast-check, so a failing case shrinks and replays.
 */
import fc from 'fast-check';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Values a sloppy EHR or FHIR server sends where something else belongs. */
export const badValue: fc.Arbitrary<Json> = fc.oneof<fc.Arbitrary<Json>[]>(
  fc.constant(null),
  fc.constant(0),
  fc.integer({ min: -1e9, max: 1e9 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.string({ maxLength: 8 }),
  fc.constant(''),
  fc.constant<Json>([]),
  fc.constant<Json>({}),
  fc.constant<Json>([null]),
  fc.constant<Json>({ coding: 'x' }),
  fc.constant('x'.repeat(20_000)),
  fc.constant<Json>(Array.from({ length: 2_000 }, (_, i) => i)),
  fc.integer({ min: 8, max: 40 }).map((d) => nest(d)),
  fc.constant('nul\u0000byte'),
  fc.constant('lone \ud800 surrogate'),
  fc.constant('\udc00'),
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
);

function nest(depth: number): Json {
  let v: Json = 'deep';
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? [v] : { a: v };
  return v;
}

export interface Mutation {
  /** At each level, which existing key/index to descend into (taken modulo the count). */
  path: number[];
  op: 'replace' | 'delete' | 'proto';
  value: Json;
}

export const mutation: fc.Arbitrary<Mutation> = fc.record({
  path: fc.array(fc.nat({ max: 1_000 }), { minLength: 1, maxLength: 9 }),
  op: fc.constantFrom<Mutation['op']>('replace', 'replace', 'replace', 'delete', 'proto'),
  value: badValue,
});

const PROTO_MARK = '"__augur_proto_slot__"';

/**
 * Applies the mutation in place to `root` (a JSON tree). `proto` plants a placeholder key that
 * {@link toJsonText} turns into a literal `"__proto__"` key in the JSON text.
 */
export function apply(root: Json, m: Mutation): void {
  let node: Json = root;
  for (let i = 0; i < m.path.length; i++) {
    if (node === null || typeof node !== 'object') return;
    const keys = Array.isArray(node) ? node.map((_, j) => j) : Object.keys(node);
    if (keys.length === 0) break;
    const key = keys[(m.path[i] ?? 0) % keys.length] as string | number;
    const child: Json = (node as Record<string | number, Json>)[key] ?? null;
    const last = i === m.path.length - 1 || child === null || typeof child !== 'object';
    if (!last) {
      node = child;
      continue;
    }
    const container = node as Record<string | number, Json>;
    if (m.op === 'delete') {
      if (Array.isArray(node)) node.splice(key as number, 1);
      else Reflect.deleteProperty(container, key);
    } else if (m.op === 'proto' && !Array.isArray(node)) {
      container[PROTO_MARK.slice(1, -1)] = { polluted: m.value };
    } else container[key] = structuredClone(m.value);
    return;
  }
  if (node !== null && typeof node === 'object' && !Array.isArray(node) && m.op !== 'delete') {
    (node as Record<string, Json>)['fuzzed'] = structuredClone(m.value);
  }
}

export function toJsonText(v: unknown): string {
  return JSON.stringify(v).replaceAll(PROTO_MARK, '"__proto__"');
}
