/**
 * Augur's HTTP API as the app uses it: the model cards, explained evaluation, the stored result behind
 * a card, and the site's model settings. Errors carry the server's OperationOutcome diagnostics.
 */
import type { EvaluateResult } from '../../../src/models/evaluate.js';
import type { ResultPayload } from '../../../src/cards/result.js';
import type { InputValue } from '../../../src/features/types.js';
import type { Settings } from '../../../src/features/types.js';
import type { ModelCard } from './types.js';

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
    /** The input the server names (OperationOutcome issue expression, e.g. `inputs.systolic_bp_mm_hg`). */
    readonly expression?: string,
  ) {
    super(message);
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

async function json(res: Response): Promise<unknown> {
  const body: unknown = await res.json().catch(() => undefined);
  if (res.ok) return body;
  const issue = isRecord(body) && Array.isArray(body['issue']) ? (body['issue'][0] as unknown) : undefined;
  const diagnostics = isRecord(issue) && typeof issue['diagnostics'] === 'string' ? issue['diagnostics'] : '';
  const expression =
    isRecord(issue) && Array.isArray(issue['expression']) && typeof issue['expression'][0] === 'string'
      ? issue['expression'][0]
      : undefined;
  throw new ApiError(res.status, diagnostics || `HTTP ${String(res.status)}`, expression);
}

export class AugurApi {
  constructor(private readonly base: string) {}

  private url(path: string): string {
    return `${this.base.replace(/\/+$/, '')}${path}`;
  }

  async models(): Promise<ModelCard[]> {
    const body = await json(
      await fetch(this.url('/api/models'), { headers: { accept: 'application/json' } }),
    );
    if (!isRecord(body) || !Array.isArray(body['models']))
      throw new ApiError(502, 'unexpected /api/models answer');
    return body['models'] as ModelCard[];
  }

  async evaluate(id: string, inputs: Readonly<Record<string, InputValue | null>>): Promise<EvaluateResult> {
    const res = await fetch(this.url(`/api/models/${encodeURIComponent(id)}/evaluate`), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ inputs, explain: true }),
    });
    return (await json(res)) as EvaluateResult;
  }

  /** The stored result behind a card; undefined when it has expired or is unknown (the app then rebuilds). */
  async storedResult(id: string, patientId: string): Promise<ResultPayload | undefined> {
    const path = `/api/results/${encodeURIComponent(id)}?patient=${encodeURIComponent(patientId)}`;
    const res = await fetch(this.url(path), { headers: { accept: 'application/json' } });
    if (res.status === 404 || res.status === 410) return undefined;
    const body = await json(res);
    return isRecord(body) && body['version'] === 1 && Array.isArray(body['runs'])
      ? (body as unknown as ResultPayload)
      : undefined;
  }

  /** Site model settings (e.g. `kfre-region`) from /smart-launch/config.json, when the server publishes them. */
  async siteSettings(): Promise<Settings> {
    const res = await fetch(this.url('/smart-launch/config.json'), {
      headers: { accept: 'application/json' },
    });
    if (!res.ok) return {};
    const body: unknown = await res.json().catch(() => undefined);
    const raw = isRecord(body) ? body['modelSettings'] : undefined;
    if (!isRecord(raw)) return {};
    const settings: Settings = {};
    for (const [k, v] of Object.entries(raw)) {
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') settings[k] = v;
    }
    return settings;
  }
}
