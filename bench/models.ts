/**
 * Model benchmarks: per model, evaluate() latency (p50/p99) with and without explanations, and
 * throughput (concurrent evaluations, and rows/s of a batched run), each against the raw onnxruntime
 * `session.run` measured in the same process, with the ratio.
 *
 * Run: npm run bench:models   (script: "vite-node bench/models.ts"; vite-node ships with vitest)
 * Options: BENCH_SCALE=0.2 for a quick pass.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { pino } from 'pino';
import { evaluate } from '../src/models/evaluate.js';
import { DEFAULT_SHAPLEY, differingColumns, shapley } from '../src/models/explain/shapley.js';
import { prepareInputs } from '../src/models/inputs.js';
import { loadModelRegistry } from '../src/models/registry.js';
import { openSession } from '../src/models/session.js';
import { builtInModelsDir } from '../src/models/startup.js';
import type { LoadedModel } from '../src/models/types.js';

const SCALE = Number(process.env['BENCH_SCALE'] ?? '1');
const iterations = (n: number): number => Math.max(20, Math.round(n * SCALE));

interface Stats {
  p50: number;
  p99: number;
}

async function latency(n: number, fn: () => Promise<unknown>): Promise<Stats> {
  for (let i = 0; i < Math.min(50, n); i++) await fn();
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await fn();
    t[i] = performance.now() - s;
  }
  t.sort();
  return { p50: t[Math.floor(n * 0.5)]!, p99: t[Math.min(n - 1, Math.floor(n * 0.99))]! };
}

/** Calls per second with `concurrency` calls in flight. */
async function throughput(n: number, concurrency: number, fn: () => Promise<unknown>): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < n) await fn();
    }),
  );
  return n / ((performance.now() - start) / 1000);
}

interface VectorFile {
  vectors: { inputs: Record<string, unknown> }[];
}

/** Every input moved off its reference value (inside its range): the worst case for Shapley. */
function worstCaseInputs(m: LoadedModel): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const spec of m.manifest.inputs) {
    const ref = m.referenceValues[spec.name] ?? null;
    if (spec.type === 'boolean') out[spec.name] = ref !== true;
    else if (spec.type === 'enum') out[spec.name] = (spec.values ?? []).find((v) => v !== ref);
    else {
      const r = spec.range ?? { min: 0, max: 100 };
      out[spec.name] =
        typeof ref === 'number' ? (ref + (ref < r.max ? r.max : r.min)) / 2 : (r.min + r.max) / 2;
    }
  }
  return out;
}

/** The model's vector whose inputs differ from the reference in the most places, or the worst case. */
function benchInputs(m: LoadedModel): Record<string, unknown> {
  const path = join(m.dir, 'vectors.json');
  const file = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as VectorFile) : { vectors: [] };
  let best: Record<string, unknown> = {};
  let players = -1;
  for (const inputs of [worstCaseInputs(m), ...file.vectors.map((v) => v.inputs)]) {
    try {
      const k = differingColumns(prepareInputs(m.manifest, inputs).row, m.reference).length;
      if (k > players) [best, players] = [inputs, k];
    } catch {
      // outside the contract (e.g. a documented refusal): not a benchmark input
    }
  }
  return best;
}

const ms = (x: number): string => x.toFixed(3);

async function benchModel(m: LoadedModel): Promise<string[]> {
  const inputs = benchInputs(m);
  const { row } = prepareInputs(m.manifest, inputs);
  const k = m.manifest.inputs.length;
  const players = differingColumns(row, m.reference).length;
  const { dtype, inputName, file } = m.manifest.onnx;
  const session = await openSession(readFileSync(join(m.dir, file)));
  const tensorOf = (rows: Float64Array, n: number): ort.Tensor =>
    new ort.Tensor(dtype, dtype === 'float32' ? Float32Array.from(rows) : rows, [n, k]);
  const one = tensorOf(row, 1);
  const rawOne = await latency(iterations(3000), () => session.run({ [inputName]: one }));
  const plain = await latency(iterations(3000), () => evaluate(m, inputs, { explain: false }));
  const explained = await evaluate(m, inputs, { explain: true });
  const coalitionRows =
    explained.explanation?.method === 'shapley-sampled' ? 2 + 512 * (players - 1) : 2 ** players;
  const declaredRows =
    m.interactions === undefined
      ? coalitionRows
      : (
          await shapley(m.run, row, m.reference, m.scales, {
            ...DEFAULT_SHAPLEY,
            interactions: m.interactions,
          })
        ).rows;
  const batch = tensorOf(
    new Float64Array(coalitionRows * k).fill(0).map((_, i) => row[i % k]!),
    coalitionRows,
  );
  const rawBatch = await latency(iterations(300), () => session.run({ [inputName]: batch }));
  const explain = await latency(iterations(300), () => evaluate(m, inputs, { explain: true }));
  // The same explanation by 2^k enumeration (the model without its declared interactions), same run.
  const { interactions, ...withoutDeclaration } = m;
  const enumerated = await latency(iterations(300), () =>
    evaluate(withoutDeclaration, inputs, { explain: true }),
  );
  const big = tensorOf(
    new Float64Array(1024 * k).map((_, i) => row[i % k]!),
    1024,
  );
  const rawRowsPerS = 1024 * (await throughput(iterations(200), 1, () => session.run({ [inputName]: big })));
  const tpRaw = await throughput(iterations(5000), 16, () => session.run({ [inputName]: one }));
  const tpPlain = await throughput(iterations(5000), 16, () => evaluate(m, inputs, { explain: false }));
  const tpExplain = await throughput(iterations(500), 16, () => evaluate(m, inputs, { explain: true }));
  await session.release();
  return [
    `${m.manifest.id} (k=${k}, explained over ${players} differing inputs, ${coalitionRows} rows, ${explained.explanation?.method ?? '-'})`,
    `  latency ms  raw run(1 row) p50 ${ms(rawOne.p50)} p99 ${ms(rawOne.p99)} | evaluate p50 ${ms(plain.p50)} p99 ${ms(plain.p99)} (×${(plain.p50 / rawOne.p50).toFixed(2)})`,
    `              raw run(${coalitionRows} rows) p50 ${ms(rawBatch.p50)} p99 ${ms(rawBatch.p99)} | evaluate+explain p50 ${ms(explain.p50)} p99 ${ms(explain.p99)} (×${(explain.p50 / rawBatch.p50).toFixed(2)} of its batch run, ×${(explain.p50 / rawOne.p50).toFixed(1)} of one row)`,
    `  explanation cost  without declaration (${coalitionRows} rows) p50 ${ms(enumerated.p50)} ms | ${interactions === undefined ? 'no declared interactions (same method)' : `declared interactions (${declaredRows} rows)`} p50 ${ms(explain.p50)} ms (×${(enumerated.p50 / explain.p50).toFixed(1)} faster)`,
    `  throughput  raw run(1 row, 16 in flight) ${tpRaw.toFixed(0)}/s | evaluate ${tpPlain.toFixed(0)}/s (×${(tpPlain / tpRaw).toFixed(2)}) | evaluate+explain ${tpExplain.toFixed(0)}/s | raw batch 1024 rows: ${(rawRowsPerS / 1e6).toFixed(2)} M rows/s`,
  ];
}

async function main(): Promise<void> {
  const dirs = [builtInModelsDir(), join(import.meta.dirname, '..', 'test', 'fixtures', 'models')];
  const registry = await loadModelRegistry({ dirs, onBroken: 'skip', log: pino({ level: 'silent' }) });
  console.log(
    `bench:models — node ${process.version}, onnxruntime-node ${ort.env.versions.common}, scale ${SCALE}`,
  );
  for (const m of registry.list()) console.log((await benchModel(m)).join('\n'));
  await registry.close();
}

await main();
