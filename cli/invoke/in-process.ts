/**
 * An Augur started inside the CLI for `augur invoke` without `--augur`: the production app (createApp,
 * the clinical services, the built-in models) on 127.0.0.1 at a free port, an embedded store in a
 * temporary folder, and a configuration that trusts only the CLI's key, for the given FHIR server, with
 * `trace: true`. Logs go nowhere (level `silent`): the CLI prints what matters.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/app.js';
import { createAuthenticator } from '../../src/auth/jwt.js';
import { MemoryRateLimiter } from '../../src/auth/rate-limit.js';
import { MemoryReplayCache } from '../../src/auth/replay-cache.js';
import { validateFileConfig } from '../../src/config/load.js';
import { EnvSchema, type Config } from '../../src/config/schema.js';
import { Readiness } from '../../src/http/readiness.js';
import { createLogger } from '../../src/log/logger.js';
import { modelDirs, startModelRegistry } from '../../src/models/startup.js';
import { clinicalServices } from '../../src/services/index.js';
import { serviceDeps } from '../../src/services/deps.js';
import { openStore } from '../../src/store/index.js';
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
  const store = await openStore({ dataDir: dir });
  const models = startModelRegistry({ dirs: modelDirs({}), onBroken: 'refuse-to-start', log });
  const registry = await models.loaded;
  const limiter = new MemoryRateLimiter();
  const authenticator = createAuthenticator({
    clients: config.clients,
    limits: config.limits,
    replayCache: new MemoryReplayCache(),
    log,
  });
  const readiness = new Readiness();
  readiness.done();
  const app = createApp(config, {
    store,
    authenticator,
    limiter,
    services: clinicalServices(serviceDeps(config, models)),
    readiness,
    log,
  });
  server.on('request', app);
  return {
    baseUrl,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      });
      await authenticator.close();
      await limiter.close();
      await store.close();
      await registry.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
