/**
 * Evidence-based interventions that are not model packages — today the CPIC gene–drug rules — with
 * their HTI-1 (b)(11)(iv)(A) source attributes, and the routes that serve them:
 *
 *   GET /api/interventions        → { interventions: [{ id, name, sourceAttributes }] }
 *   GET /api/interventions/:id    → one of them (404 otherwise)
 *
 * Loaded at start-up; a strict file with an unanswered attribute stops start-up naming it.
 */
import { join } from 'node:path';
import { Router } from 'express';
import { notFound } from '../http/errors.js';
import { PackageError } from '../models/manifest-file.js';
import { cardsDir, loadCardFile } from '../cards/data.js';
import { GuidelinesFile } from '../pgx/schema.js';
import { LOCAL_MONITORING } from './local-monitoring.js';
import { readSourceAttributesFile } from './load.js';
import { resolveSourceAttributes, type ResolvedSourceAttributes } from './resolve.js';

export interface Intervention {
  id: string;
  name: string;
  sourceAttributes: ResolvedSourceAttributes;
}

/** The CPIC rules: citations from the guideline table, the rest from cards/pgx/source-attributes.json. */
export function loadCpicIntervention(dir: string = join(cardsDir(), 'pgx')): Intervention {
  const guidelines = loadCardFile(join(dir, 'guidelines.json'), GuidelinesFile);
  const citations = [...new Map(guidelines.guidelines.map((g) => [g.citation.text, g.citation])).values()];
  const file = join(dir, 'source-attributes.json');
  const stated = readSourceAttributesFile(file);
  const resolved = resolveSourceAttributes({ citations }, stated, LOCAL_MONITORING);
  if (stated.strict && !resolved.complete)
    throw new PackageError(
      file,
      `intervention cpic-pgx: HTI-1 source attribute(s) not answered: ${resolved.missing.map((m) => `${m.id} "${m.label}"`).join(', ')}`,
    );
  return { id: 'cpic-pgx', name: 'CPIC pharmacogenomic prescribing rules', sourceAttributes: resolved };
}

export function interventionsRouter(interventions: readonly Intervention[]): Router {
  const router = Router();
  router.get('/api/interventions', (_req, res) => {
    res.json({ interventions });
  });
  router.get('/api/interventions/:id', (req, res) => {
    const found = interventions.find((i) => i.id === req.params.id);
    if (found === undefined) throw notFound(`no intervention with id "${req.params.id.slice(0, 64)}"`);
    res.json(found);
  });
  return router;
}
