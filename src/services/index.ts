/**
 * Augur's clinical CDS services, in discovery order. Each is built from the shared deps (and loads and
 * validates its card data file when built, so bad card data stops start-up with the file and field).
 */
import type { CdsService } from '../cds/service.js';
import type { ServiceDeps } from './deps.js';
import { atrialFibrillationService } from './atrial-fibrillation/index.js';
import { kidneyService } from './kidney/index.js';
import { cardiovascularService } from './cardiovascular/service.js';
import { pgxServices } from './pgx/index.js';
import { breastRfsService } from './breast-rfs-research/index.js';

export function clinicalServices(deps: ServiceDeps): CdsService[] {
  return [
    cardiovascularService(deps),
    atrialFibrillationService(deps),
    kidneyService(deps),
    ...pgxServices(deps),
    breastRfsService(deps), // off unless a site switches it on
  ];
}
