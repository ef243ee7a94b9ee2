/** Shared helpers for the model-platform tests: fixture packages, temp model folders, brute force. */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { afterAll } from 'vitest';
import { HttpError } from '../../src/http/errors.js';
import { modelsRouter } from '../../src/models/api.js';
import { loadPackage } from '../../src/models/package.js';
import type { LoadedModel } from '../../src/models/types.js';

export const REPO = join(import.meta.dirname, '..', '..');
export const FIXTURES = join(REPO, 'test', 'fixtures', 'models');
export const BYO = join(REPO, 'test', 'fixtures', 'models', 'byo-example');
export const fixture = (name: string): string => join(FIXTURES, name);

const temps: string[] = [];
afterAll(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

/** A fresh temp folder holding copies of the given packages (folder name = basename unless renamed). */
export function tempModelsDir(packages: Readonly<Record<string, string>>): string {
  const root = mkdtempSync(join(tmpdir(), 'augur-models-'));
  temps.push(root);
  for (const [name, from] of Object.entries(packages)) cpSync(from, join(root, name), { recursive: true });
  return root;
}

/** Rewrites a package's model.json through `edit`. */
export function editManifest(pkgDir: string, edit: (m: Record<string, unknown>) => void): void {
  const file = join(pkgDir, 'model.json');
  const m = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(m);
  writeFileSync(file, JSON.stringify(m, null, 2));
}

const loaded = new Map<string, Promise<LoadedModel>>();
/** Loads a package once per test file. */
export function model(dir: string): Promise<LoadedModel> {
  let p = loaded.get(dir);
  if (p === undefined) {
    p = loadPackage(dir);
    loaded.set(dir, p);
  }
  return p;
}
afterAll(async () => {
  for (const p of loaded.values()) await (await p).close();
  loaded.clear();
});

/** Brute-force Shapley by enumerating all k! orderings (small k only): the textbook definition. */
export function bruteForceShapley(k: number, v: (members: ReadonlySet<number>) => number): number[] {
  const phi = new Array<number>(k).fill(0);
  let count = 0;
  const walk = (order: number[], rest: number[]): void => {
    if (rest.length === 0) {
      const members = new Set<number>();
      let prev = v(members);
      for (const j of order) {
        members.add(j);
        const next = v(members);
        phi[j] = (phi[j] ?? 0) + next - prev;
        prev = next;
      }
      count++;
      return;
    }
    rest.forEach((j, i) => {
      walk([...order, j], [...rest.slice(0, i), ...rest.slice(i + 1)]);
    });
  };
  walk(
    [],
    Array.from({ length: k }, (_, i) => i),
  );
  return phi.map((p) => p / count);
}

/** A tiny app around the models router, with the minimal HttpError → OperationOutcome handler. */
export function testApp(
  source: Parameters<typeof modelsRouter>[0],
  limit?: Parameters<typeof modelsRouter>[1],
): Express {
  const app = express();
  app.use(express.json());
  app.use(modelsRouter(source, limit));
  const onError: ErrorRequestHandler = (e: unknown, _req, res, _next) => {
    if (e instanceof HttpError) res.status(e.status).set(e.headers).json(e.outcome);
    else
      res
        .status(500)
        .json({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'exception' }] });
  };
  app.use(onError);
  return app;
}
