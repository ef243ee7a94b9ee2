/**
 * src/features must run in the browser (a SMART side app reuses it): no Node built-ins
 * (node:*, fs, path, crypto, …) imported anywhere, and no Node-only globals (Buffer, process, require).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const DIR = fileURLToPath(new URL('../../src/features', import.meta.url));
/** src/pgx is imported by the side app too (CPIC tables → phenotype → recommendation). */
const PGX_DIR = fileURLToPath(new URL('../../src/pgx', import.meta.url));
const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? filesUnder(join(dir, e.name))
      : /\.(ts|js|mjs|cjs)$/.test(e.name)
        ? [join(dir, e.name)]
        : [],
  );

/** Module specifiers of static imports/exports, dynamic import() and require(). */
export function specifiers(source: string): string[] {
  const patterns = [
    /\bimport\s+(?:type\s+)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bexport\s+(?:type\s+)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\bdeclare\s+module\s+['"]([^'"]+)['"]/g,
  ];
  return patterns.flatMap((p) => [...source.matchAll(p)].map((m) => m[1] ?? ''));
}

/** Problems in one file's source: Node built-in specifiers and Node-only globals. */
export function nodeOnlyUses(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  const imports = specifiers(code).filter((s) => NODE_BUILTINS.has(s) || s.startsWith('node:'));
  const globals = [...code.matchAll(/\b(Buffer|process|require|__dirname|__filename)\b/g)].map(
    (m) => m[1] ?? '',
  );
  return [...imports.map((s) => `import of "${s}"`), ...globals.map((g) => `use of ${g}`)];
}

describe('src/features is browser-safe', () => {
  it('the scanner catches Node-only code', () => {
    expect(nodeOnlyUses(`import { readFileSync } from 'node:fs';`)).toEqual(['import of "node:fs"']);
    expect(nodeOnlyUses(`import path from "path";\nconst b = Buffer.from('x');`)).toEqual([
      'import of "path"',
      'use of Buffer',
    ]);
    expect(nodeOnlyUses(`export * from 'crypto';`)).toEqual(['import of "crypto"']);
    expect(nodeOnlyUses(`const m = await import('node:os');`)).toEqual(['import of "node:os"']);
    expect(nodeOnlyUses(`import { z } from 'zod'; // fs is fine in a comment`)).toEqual([]);
  });

  it('no file under src/features imports a Node built-in or uses a Node-only global', () => {
    const files = filesUnder(DIR);
    expect(files.length).toBeGreaterThan(10);
    const problems = files.flatMap((f) => nodeOnlyUses(readFileSync(f, 'utf8')).map((p) => `${f}: ${p}`));
    expect(problems).toEqual([]);
  });

  it('no file under src/pgx imports a Node built-in or uses a Node-only global', () => {
    const files = filesUnder(PGX_DIR);
    expect(files.length).toBeGreaterThan(4);
    const problems = files.flatMap((f) => nodeOnlyUses(readFileSync(f, 'utf8')).map((p) => `${f}: ${p}`));
    expect(problems).toEqual([]);
  });

  it('everything they import, transitively (e.g. the card formatting and schemas), is Node-free too', () => {
    const entries = [
      ...filesUnder(DIR),
      ...filesUnder(PGX_DIR),
      ...BROWSER_CARD_MODULES.map((m) => fileURLToPath(new URL(`../../src/cards/${m}`, import.meta.url))),
      // The side app itself: whatever it imports from src/ (e.g. the PGx finding chain) ends up in the browser.
      ...filesUnder(fileURLToPath(new URL('../../smart-launch/src', import.meta.url))),
    ].filter((f) => f.endsWith('.ts'));
    const reached = closure(entries);
    const problems = reached.flatMap((f) => nodeOnlyUses(readFileSync(f, 'utf8')).map((p) => `${f}: ${p}`));
    expect(problems).toEqual([]);
  });

  it('the closure follows relative imports (a Node-only module two hops away is found)', () => {
    const data = fileURLToPath(new URL('../../src/cards/data.ts', import.meta.url));
    expect(closure([data]).some((f) => nodeOnlyUses(readFileSync(f, 'utf8')).length > 0)).toBe(true);
  });
});

/** Card modules the side app imports (the rest of src/cards runs on the server only). */
const BROWSER_CARD_MODULES = ['format.ts', 'band.ts', 'schemas.ts', 'prepare-run.ts'];

/** Every source file reachable from `entries` through relative imports (`./x.js` → `./x.ts`). */
function closure(entries: readonly string[]): string[] {
  const seen = new Set<string>();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop();
    if (file === undefined || seen.has(file)) continue;
    seen.add(file);
    // Type-only imports are erased by the compiler and never reach the browser.
    const runtime = readFileSync(file, 'utf8').replace(
      /\b(?:import|export)\s+type\s[^;]*?from\s*['"][^'"]+['"]/g,
      '',
    );
    for (const spec of specifiers(runtime)) {
      if (!spec.startsWith('.')) continue;
      const target = join(dirname(file), spec).replace(/\.js$/, '.ts');
      if (existsSync(target)) queue.push(target);
    }
  }
  return [...seen].sort();
}
