/**
 * HTTP API for models. Mount after the app's JSON body parser; errors are HttpErrors (the app's error
 * handler maps them to status + OperationOutcome).
 *
 *   GET  /api/models                 → { models: [card, …] }
 *   GET  /api/models/:id             → card (with its input contract)
 *   POST /api/models/:id/evaluate    { inputs: {…}, explain?: boolean = true } → EvaluateResult
 */
import { Router, type Request } from 'express';
import { HttpError, badRequest, notFound } from '../http/errors.js';
import { throttled, type RateLimiter } from '../auth/rate-limit.js';
import { modelCard } from './card.js';
import { evaluate } from './evaluate.js';
import { currentRegistry as registryOf, type RegistrySource } from './startup.js';
import type { LoadedModel } from './types.js';

function modelOf(source: RegistrySource, id: string): LoadedModel {
  const model = registryOf(source).get(id);
  if (model === undefined) throw notFound(`no model with id "${id.slice(0, 64)}"`);
  return model;
}

interface EvaluateBody {
  inputs: unknown;
  explain: boolean;
}

function parseBody(req: Request): EvaluateBody {
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('the request body must be a JSON object: {"inputs": {…}, "explain"?: boolean}');
  }
  const record = body as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (key !== 'inputs' && key !== 'explain') throw badRequest(`unknown field "${key}"`, key);
  }
  if (record['inputs'] === undefined)
    throw new HttpError(400, { code: 'required', diagnostics: 'inputs is required', expression: 'inputs' });
  const explain = record['explain'] ?? true;
  if (typeof explain !== 'boolean') throw badRequest('explain must be a JSON boolean', 'explain');
  return { inputs: record['inputs'], explain };
}

export interface EvaluateLimit {
  limiter: RateLimiter;
  /** Evaluations per client IP per minute (an exact explanation runs up to 2^14 model rows). */
  perIpPerMinute: number;
}

/**
 * The models router; pass the registry, or the start-up handle (→ 503 until loaded). The routes need
 * no authentication (model cards are package data; evaluate stores and logs nothing about the inputs),
 * so evaluate is rate-limited per client IP when `limit` is given (it always is in `src/main.ts`).
 */
export function modelsRouter(source: RegistrySource, limit?: EvaluateLimit): Router {
  const router = Router();
  router.get('/api/models', (_req, res) => {
    res.json({
      models: registryOf(source)
        .list()
        .map((m) => modelCard(m.manifest, m.sourceAttributes)),
    });
  });
  router.get('/api/models/:id', (req, res) => {
    const model = modelOf(source, req.params.id);
    res.json(modelCard(model.manifest, model.sourceAttributes));
  });
  router.post('/api/models/:id/evaluate', async (req, res) => {
    if (limit !== undefined) {
      const decision = await limit.limiter.hit(`evaluate:${req.ip ?? 'unknown'}`, limit.perIpPerMinute);
      if (!decision.allowed) throw throttled(decision.retryAfterSeconds);
    }
    const model = modelOf(source, req.params.id);
    const body = parseBody(req);
    res.json(await evaluate(model, body.inputs, { explain: body.explain }));
  });
  return router;
}
