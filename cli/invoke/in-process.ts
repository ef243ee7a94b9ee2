/**
 * An Augur started inside the CLI for `augur invoke` without `--augur`: the production app (`buildAugur`:
 * the clinical services, the built-in models) on 127.0.0.1 at a free port, an embedded store in a
 * temporary folder, and a configuration that trusts only the CLI's key, for the given FHIR server, with
 * `trace: true`. Logs go nowhere (level `silent`): the CLI prints what matters.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAugur } from '../../src/build.js';
import { validateFileConfig } from '../../src/config/load.js';
import { EnvSchema, type Config } from '../../src/config/schema.js';
import { Readiness } from '../../src/http/readiness.js';
import { createLogger } from '../../src/log/logger.js';
import { clientEntry, type LocalKey } from '../keys/local-key.js';

export interface InProcessAugur {
  /** e.g. `http://127.0.0.1:41234` */
  baseUrl: string;
  stop(): Promise<void>;
}

export interface InProcessOptions {
  /** Another public base URL than the one listened on (tests of the 401 path: a wrong `aud`). */
  publicBaseUrl?: string;
  /** More configuration-file settings (e.g. the bench raises `limits.perIssuerPerMinute`). */
  fileConfig?: Record<string, unknown>;
}

export async function startInProcessAugur(
  key: LocalKey,
  fhirBase: string,
  options: InProcessOptions = {},
): Promise<InProcessAugur> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${String(port)}`;
  const dir = mkdtempSync(join(tmpdir(), 'augur-invoke-'));
  const file = validateFileConfig(
    {
      ...options.fileConfig,
      publicBaseUrl: options.publicBaseUrl ?? baseUrl,
      clients: [clientEntry(key, [fhirBase])],
      allowInsecureFhirServers: fhirBase.startsWith('http:'),
    },
    'augur invoke (in-process)',
    { host: '127.0.0.1', port },
  );
  const env = EnvSchema.parse({
    HOST: '127.0.0.1',
    PORT: String(port),
    AUGUR_DATA_DIR: dir,
    LOG_LEVEL: 'silent',
  });
  const config: Config = { ...file, env, assertResponses: true };
  const log = createLogger({ level: 'silent' });
  const readiness = new Readiness();
  readiness.done();
  const augur = await buildAugur(config, { log, readiness });
  try {
    await augur.models.loaded;
  } catch (err) {
    await augur.close();
    server.close();
    throw err;
  }
  server.on('request', augur.app);
  return {
    baseUrl,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      });
      await augur.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
