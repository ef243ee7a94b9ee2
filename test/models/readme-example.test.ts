/**
 * The README's evaluate example is a test: its request (the JSON after `-d '` in the curl) is sent to
 * the model API over HTTP with the built-in models, and every line of output the README prints — the
 * risk and each input's contribution — must be what Augur answers. The example must explain something:
 * at least half of the inputs differ from the reference profile and contribute.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ModelRegistry } from '../../src/models/types.js';
import { builtInModels } from '../support/services.js';
import { REPO, testApp } from './helpers.js';

let registry: ModelRegistry;
beforeAll(async () => {
  registry = await builtInModels();
});
afterAll(() => registry.close());

it('the README evaluate example answers exactly what the README prints, and explains something', async () => {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const block = /api\/models\/ascvd-pce-10y\/evaluate[^\n]*-d '(\{[\s\S]*?\}\})'([\s\S]*?)```/.exec(readme);
  expect(block, 'README evaluate example').not.toBeNull();
  const body = JSON.parse(block![1]!) as { inputs: Record<string, unknown> };
  const printed = block![2]!
    .split('\n')
    .filter((l) => l.startsWith('# '))
    .map((l) => JSON.parse(l.slice(2).split('  ←')[0]!.trim()) as unknown);
  const res = await request(testApp(registry))
    .post('/api/models/ascvd-pce-10y/evaluate')
    .send(body)
    .expect(200);
  const answer = res.body as {
    outputs: Record<string, number>;
    explanation: {
      contributions: { input: string; value: unknown; probabilityPoints?: { risk_10y: number } }[];
    };
  };
  const actual = [
    answer.outputs,
    ...answer.explanation.contributions.map((c) => [c.input, c.value, c.probabilityPoints?.risk_10y ?? 0]),
  ];
  // Ten significant digits: the README's numbers, not the last bits of a float, are the contract.
  const round = (v: unknown): unknown =>
    typeof v === 'number'
      ? Number(v.toPrecision(10))
      : Array.isArray(v)
        ? v.map(round)
        : typeof v === 'object' && v !== null
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, round(x)]))
          : v;
  expect(round(actual)).toEqual(round(printed));
  const nonZero = answer.explanation.contributions.filter((c) => (c.probabilityPoints?.risk_10y ?? 0) !== 0);
  expect(nonZero.length).toBeGreaterThanOrEqual(answer.explanation.contributions.length / 2);
});
