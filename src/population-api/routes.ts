/**
 * `POST /api/populations/score` — population scoring for schedulers, by the FHIR Bulk Data async pattern:
 *
 * - `POST /api/populations/score` (JSON body `{}` or `{"group": "<Group id>", "since": "<instant>"}`)
 *   → 202, `Content-Location: {publicBaseUrl}/api/populations/score/<run>`;
 * - `GET <status URL>` → 202 with `X-Progress` and `Retry-After` while running; 200 with the manifest
 *   `{transactionTime, request, requiresAccessToken: true, output: [{type, url, count?}], error: []}` when
 *   done; 500 OperationOutcome when the run failed (the export's or the scoring's reason);
 * - `DELETE <status URL>` → 202 and the run is cancelled (then 404);
 * - `GET <status URL>/files/<name>` → one output file (fixed names), with the same authentication.
 *
 * Off by default (`populations.enabled`): when off no route exists and every path answers the app's 404
 * OperationOutcome. Authentication: a JWT signed by a trusted client, exactly as a hook call (`aud` = the
 * URL called), whose entry says `"allowPopulationScoring": true`; a run is visible only to the issuer
 * (and tenant) that started it. Runs live in this process's memory: poll the instance that answered the
 * kick-off (a load balancer needs affinity for `/api/populations/`).
 */
import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { authenticate, type AuthDeps } from '../cds/authenticate.js';
import type { VerifiedCaller } from '../auth/types.js';
import { HttpError, notFound, operationOutcome } from '../http/errors.js';

export const POPULATIONS_PATH = '/api/populations/score';

export interface RunRequest {
  group?: string;
  since?: string;
}

/** One output file of a run, as listed in the manifest. */
export interface RunOutput {
  /** A FHIR resource type for FHIR NDJSON (`RiskAssessment`), else the file's kind (`worklist`, `summary`, `report`). */
  type: string;
  /** File name inside the run's output folder. */
  file: string;
  count?: number;
}

/** Exports and scores one population into `dir`; rejects with a message fit for the caller (no PHI). */
export type PopulationRunner = (
  request: RunRequest,
  dir: string,
  signal: AbortSignal,
  progress: (text: string) => void,
) => Promise<{ outDir: string; outputs: RunOutput[] }>;

export interface PopulationsDeps extends AuthDeps {
  runner: PopulationRunner;
}

interface Run {
  id: string;
  owner: string;
  request: string;
  transactionTime: string;
  state: 'running' | 'done' | 'failed';
  progress: string;
  error?: string;
  outDir?: string;
  outputs?: RunOutput[];
  abort: AbortController;
}

const BodySchema = z
  .object({
    group: z
      .string()
      .regex(/^[A-Za-z0-9.-]{1,64}$/, 'a FHIR id')
      .optional(),
    since: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

const CONTENT_TYPES: Record<string, string> = {
  '.ndjson': 'application/fhir+ndjson',
  '.csv': 'text/csv; charset=utf-8',
  '.json': 'application/json',
  '.html': 'text/html; charset=utf-8',
};

const RETRY_AFTER_S = 5;

export function populationsRouter(deps: PopulationsDeps): Router {
  const router = Router();
  const runs = new Map<string, Run>();
  const { config } = deps;
  const statusUrl = (id: string): string => `${config.publicBaseUrl}${POPULATIONS_PATH}/${id}`;

  const caller = async (req: Request, res: Response): Promise<VerifiedCaller> => {
    const c = await authenticate(deps, req, res);
    if (c.client.allowPopulationScoring !== true || c.unauthenticated === true)
      throw new HttpError(403, {
        code: 'forbidden',
        diagnostics:
          'this client may not run population scoring (set "allowPopulationScoring": true on its entry in AUGUR_CONFIG)',
      });
    return c;
  };
  const ownerOf = (c: VerifiedCaller): string => `${c.iss}|${c.tenant ?? ''}`;
  const runOf = (c: VerifiedCaller, id: unknown): Run => {
    const run = typeof id === 'string' ? runs.get(id) : undefined;
    // Another client's run is not named: the same 404 as a run that never existed.
    if (run === undefined || run.owner !== ownerOf(c))
      throw notFound('no such population run (finished and cancelled, or never started)');
    return run;
  };

  router.post(POPULATIONS_PATH, deps.throttle.guard, async (req, res) => {
    const c = await caller(req, res);
    const parsed = BodySchema.safeParse(req.body ?? {});
    if (!parsed.success)
      throw new HttpError(
        400,
        parsed.error.issues.map((i) => ({
          code: 'invalid' as const,
          diagnostics: `${i.path.join('.') || 'body'}: ${i.message}`,
        })),
      );
    const running = [...runs.values()].filter((r) => r.state === 'running').length;
    if (running >= config.populations.maxConcurrentRuns)
      throw new HttpError(
        429,
        { code: 'throttled', diagnostics: 'a population run is already in progress: try again later' },
        { 'Retry-After': '60' },
      );
    const id = randomUUID();
    const run: Run = {
      id,
      owner: ownerOf(c),
      request: `${config.publicBaseUrl}${POPULATIONS_PATH}`,
      transactionTime: deps.now().toISOString(),
      state: 'running',
      progress: 'starting',
      abort: new AbortController(),
    };
    runs.set(id, run);
    const request: RunRequest = {
      ...(parsed.data.group === undefined ? {} : { group: parsed.data.group }),
      ...(parsed.data.since === undefined ? {} : { since: parsed.data.since }),
    };
    deps
      .runner(request, join(config.populations.dir, id), run.abort.signal, (p) => (run.progress = p))
      .then(
        (result) => {
          run.state = 'done';
          run.outDir = result.outDir;
          run.outputs = result.outputs;
        },
        (err: unknown) => {
          run.state = 'failed';
          run.error = err instanceof Error ? err.message : 'population run failed';
        },
      );
    res
      .status(202)
      .setHeader('Content-Location', statusUrl(id))
      .type('application/fhir+json')
      .json(
        operationOutcome([
          { code: 'informational', severity: 'information', diagnostics: 'population run started' },
        ]),
      );
  });

  router.get(`${POPULATIONS_PATH}/:id`, deps.throttle.guard, async (req, res) => {
    const run = runOf(await caller(req, res), req.params['id']);
    res.setHeader('Cache-Control', 'no-store');
    if (run.state === 'running') {
      res
        .status(202)
        .setHeader('X-Progress', run.progress)
        .setHeader('Retry-After', String(RETRY_AFTER_S))
        .end();
      return;
    }
    if (run.state === 'failed')
      throw new HttpError(500, { code: 'exception', diagnostics: run.error ?? 'population run failed' });
    res.json({
      transactionTime: run.transactionTime,
      request: run.request,
      requiresAccessToken: true,
      output: (run.outputs ?? []).map((o) => ({
        type: o.type,
        url: `${statusUrl(run.id)}/files/${o.file}`,
        ...(o.count === undefined ? {} : { count: o.count }),
      })),
      error: [],
    });
  });

  router.delete(`${POPULATIONS_PATH}/:id`, deps.throttle.guard, async (req, res) => {
    const run = runOf(await caller(req, res), req.params['id']);
    run.abort.abort();
    runs.delete(run.id);
    res
      .status(202)
      .type('application/fhir+json')
      .json(
        operationOutcome([
          { code: 'informational', severity: 'information', diagnostics: 'population run cancelled' },
        ]),
      );
  });

  router.get(`${POPULATIONS_PATH}/:id/files/:name`, deps.throttle.guard, async (req, res) => {
    const run = runOf(await caller(req, res), req.params['id']);
    // Only the files the manifest lists: a name is looked up, never joined from the request.
    const out = run.outputs?.find((o) => o.file === req.params['name']);
    if (out === undefined || run.outDir === undefined || !existsSync(join(run.outDir, out.file)))
      throw notFound('no such file in this run');
    const ext = /\.[a-z]+$/.exec(out.file)?.[0] ?? '';
    res.status(200).type(CONTENT_TYPES[ext] ?? 'application/octet-stream');
    res.setHeader('Cache-Control', 'no-store');
    createReadStream(join(run.outDir, out.file)).pipe(res);
  });

  return router;
}
