/**
 * Reading the cards' own data files (cards/*.json; bundled by card-data-files.ts), so the app shows
 * the band and the input labels the card used. Pure: the files come in as parsed JSON. Read here: `{modelId, output, bands}` objects (bands as in src/cards/data.ts), `labels`
 * (input → label) and `criteria` (modelId → input → label).
 */
import { bandFor } from '../../../src/cards/band.js';
import type { Band } from '../../../src/cards/data.js';

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringRecord = (v: unknown): v is Record<string, string> =>
  isRecord(v) && Object.values(v).every((x) => typeof x === 'string');
const isBand = (v: unknown): v is Band =>
  isRecord(v) &&
  typeof v['id'] === 'string' &&
  typeof v['label'] === 'string' &&
  ['info', 'warning', 'critical'].includes(String(v['indicator'])) &&
  (v['min'] === undefined || typeof v['min'] === 'number') &&
  (v['max'] === undefined || typeof v['max'] === 'number');

export interface CardData {
  /** `modelId/output` → bands. */
  bands: Map<string, Band[]>;
  /** Input labels per model (`*` for labels shared by every model of a file). */
  labels: Map<string, Record<string, string>>;
  /** Model ids the files name (a `modelId`, or a key of `criteria`). */
  models: Set<string>;
}

export function readCardData(files: Readonly<Record<string, unknown>>): CardData {
  const data: CardData = { bands: new Map(), labels: new Map(), models: new Set() };
  const visit = (v: unknown, depth: number): void => {
    if (depth > 6) return;
    if (Array.isArray(v)) {
      for (const x of v) visit(x, depth + 1);
      return;
    }
    if (!isRecord(v)) return;
    const { modelId, output, bands, labels, criteria } = v;
    if (typeof modelId === 'string') data.models.add(modelId);
    if (
      typeof modelId === 'string' &&
      typeof output === 'string' &&
      Array.isArray(bands) &&
      bands.every(isBand)
    )
      data.bands.set(`${modelId}/${output}`, bands);
    if (isStringRecord(labels)) data.labels.set('*', { ...data.labels.get('*'), ...labels });
    if (isRecord(criteria))
      for (const [model, l] of Object.entries(criteria))
        if (isStringRecord(l)) {
          data.labels.set(model, l);
          data.models.add(model);
        }
    for (const x of Object.values(v)) visit(x, depth + 1);
  };
  for (const json of Object.values(files)) visit(json, 0);
  return data;
}

export function bandOf(data: CardData, modelId: string, output: string, value: number): Band | undefined {
  const bands = data.bands.get(`${modelId}/${output}`);
  return bands === undefined ? undefined : bandFor(bands, value);
}

/** The band `value` falls in, with its position among the output's bands (0 = lowest). */
export function bandLevel(
  data: CardData,
  modelId: string,
  output: string,
  value: number,
): { band: Band; index: number; count: number } | undefined {
  const bands = data.bands.get(`${modelId}/${output}`);
  const band = bands === undefined ? undefined : bandFor(bands, value);
  if (bands === undefined || band === undefined) return undefined;
  const ordered = [...bands].sort((a, b) => (a.min ?? -Infinity) - (b.min ?? -Infinity));
  return { band, index: ordered.findIndex((b) => b.id === band.id), count: ordered.length };
}

export function cardLabel(data: CardData, modelId: string, input: string): string | undefined {
  return data.labels.get(modelId)?.[input] ?? data.labels.get('*')?.[input];
}
