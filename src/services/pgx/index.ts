/** The pharmacogenomics CDS services: order-select, order-sign and patient-view, sharing one set of tables. */
import type { CdsService } from '../../cds/service.js';
import type { ServiceDeps } from '../deps.js';
import { loadPgxTables } from './load.js';
import { pgxOrderServices } from './order-services.js';
import { pgxPatientViewService } from './patient-view.js';

export function pgxServices(deps: ServiceDeps): CdsService[] {
  const tables = loadPgxTables();
  return [...pgxOrderServices(deps, tables), pgxPatientViewService(deps, tables)];
}
