/**
 * `npm run examples`: writes examples/requests/<service>.json — a complete patient-view request for each
 * risk service, for a synthetic patient (bench/patient.ts: 68-year-old man with AF, hypertension, type 2
 * diabetes and CKD G3b), with prefetch filled the way an EHR fills it (each discovery template resolved
 * against the real test FHIR server). Send one with curl (README, "Try it"). Dates are relative to the
 * day the files were written, so results grow stale over time: rerun to refresh.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../src/config/paths.js';
import { validateFileConfig } from '../src/config/load.js';
import { EnvSchema } from '../src/config/schema.js';
import { loadModelRegistry } from '../src/models/registry.js';
import { builtInModelsDir } from '../src/models/startup.js';
import { serviceDeps } from '../src/services/deps.js';
import { clinicalServices } from '../src/services/index.js';
import { pino } from 'pino';
import { startFhirServer } from '../test/support/fhir-server.js';
import { benchPatient, RISK_SERVICES } from '../bench/patient.js';
import { fillPrefetch } from '../cli/invoke/prefetch-fill.js';

const log = pino({ level: 'silent' });
const models = await loadModelRegistry({ dirs: [builtInModelsDir()], onBroken: 'refuse-to-start', log });
const file = validateFileConfig({ publicBaseUrl: 'http://127.0.0.1:8080' }, 'examples');
const services = clinicalServices(
  serviceDeps({ ...file, env: EnvSchema.parse({}), assertResponses: true }, models),
);
const fhir = await startFhirServer();
try {
  await fhir.seed(benchPatient(new Date()));
  const dir = join(repoRoot(), 'examples', 'requests');
  mkdirSync(dir, { recursive: true });
  for (const s of services.filter((x) => RISK_SERVICES.includes(x.definition.id))) {
    const templates = Object.fromEntries(Object.entries(s.definition.prefetch).map(([k, d]) => [k, d.query]));
    const request = {
      hook: 'patient-view',
      hookInstance: randomUUID(),
      context: { userId: 'Practitioner/dr1', patientId: 'p1' },
      prefetch: await fillPrefetch(templates, {
        fhirBase: fhir.baseUrl,
        patientId: 'p1',
        userId: 'Practitioner/dr1',
      }),
    };
    writeFileSync(join(dir, `${s.definition.id}.json`), `${JSON.stringify(request, null, 2)}\n`);
    process.stdout.write(`examples/requests/${s.definition.id}.json\n`);
  }
} finally {
  await fhir.stop();
  await models.close();
}
