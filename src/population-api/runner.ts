/**
 * The runner behind `POST /api/populations/score`: the configured FHIR server's Bulk Data export
 * (src/bulk-data, SMART Backend Services with Augur's key), then the one population run
 * (src/population/run.ts) over the downloaded folder, into `<run dir>/out`.
 */
import { join } from 'node:path';
import { exportPopulation } from '../bulk-data/source.js';
import type { Config } from '../config/schema.js';
import { OUTPUT_FILES, runPopulation } from '../population/run.js';
import type { PopulationRunner, RunOutput } from './routes.js';

export function fhirPopulationRunner(config: Config): PopulationRunner {
  const p = config.populations;
  const fhir = p.fhir;
  if (fhir === undefined) throw new Error('populations.fhir is not configured');
  return async (request, dir, signal, progress) => {
    progress('exporting');
    await exportPopulation(
      {
        fhirBase: fhir.baseUrl,
        clientId: fhir.clientId,
        keyFile: fhir.keyFile,
        ...(fhir.scope === undefined ? {} : { scope: fhir.scope }),
        ...(request.group === undefined ? {} : { group: request.group }),
        ...(request.since === undefined ? {} : { since: request.since }),
      },
      join(dir, 'export'),
      {
        signal,
        onProgress: (e) => {
          if (e.step === 'waiting') progress(`exporting${e.progress === undefined ? '' : `: ${e.progress}`}`);
          if (e.step === 'manifest') progress(`downloading ${String(e.files)} file(s)`);
        },
      },
    );
    const out = join(dir, 'out');
    const env = config.env;
    const result = await runPopulation({
      input: join(dir, 'export'),
      out,
      workers: p.workers,
      scorer: {
        ...(env.AUGUR_CONFIG === undefined ? {} : { configFile: env.AUGUR_CONFIG }),
        ...(env.AUGUR_MODELS_DIR === undefined ? {} : { modelsDir: env.AUGUR_MODELS_DIR }),
      },
      signal,
      onProgress: (e) => {
        progress(
          e.phase === 'score' ? `scoring: ${String(e.done)} of ${String(e.total ?? '?')} patients` : e.phase,
        );
      },
    });
    if (result.status !== 'complete') throw new Error('population run cancelled');
    const s = result.summary;
    const outputs: RunOutput[] = [
      { type: 'RiskAssessment', file: OUTPUT_FILES.riskAssessments },
      { type: 'worklist', file: OUTPUT_FILES.worklistNdjson },
      { type: 'worklist-csv', file: OUTPUT_FILES.worklistCsv },
      { type: 'summary', file: OUTPUT_FILES.summary, count: s.patients.total },
      { type: 'report', file: OUTPUT_FILES.report },
    ];
    return { outDir: out, outputs };
  };
}
