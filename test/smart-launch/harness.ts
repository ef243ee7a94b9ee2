/**
 * End-to-end harness for the SMART side app: a real FHIR server (Medplum, SMART configuration, CORS),
 * a real SMART authorization server (auth-server.ts), Augur serving the built app from a real listening
 * socket, and headless Chromium (Debian `chromium` + playwright-core) — all on 127.0.0.1.
 *
 * ```ts
 * const h = await startHarness();
 * await h.fhir.seed([aPatient({ id: 'p1' })]);
 * const page = await h.newPage();
 * expect(await h.ehrLaunch(page, { patientId: 'p1' })).toBe('ready');
 * await h.close();
 * ```
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { CdsService } from '../../src/cds/service.js';
import type { ServiceDeps } from '../../src/services/deps.js';
import { MemoryRateLimiter } from '../../src/auth/rate-limit.js';
import { smartRouters } from '../../src/smart/index.js';
import { distributionsOf } from '../../src/monitoring/drift.js';
import { metricsRouter } from '../../src/monitoring/routes.js';
import { modelsRouter } from '../../src/models/api.js';
import { startFhirServer, type FhirServer } from '../support/fhir-server.js';
import { builtInModels, startServiceApp, type ServiceApp } from '../support/services.js';
import { testLogger } from '../support/logs.js';
import { startAuthServer, type AuthServer, type LaunchContext } from './auth-server.js';

export const CHROMIUM = process.env['AUGUR_CHROMIUM'] ?? '/usr/bin/chromium';
export const CLIENT_ID = 'augur-test';
/** How long a launch may take to settle (redirects, token exchange, first FHIR read) before a test fails. */
const LAUNCH_TIMEOUT_MS = 15_000;
/** How long the app may take, once launched, to read the record, compute every model and render. */
const RENDER_TIMEOUT_MS = 30_000;

export interface HarnessOptions {
  /** CDS services Augur registers (to produce cards whose results the app opens). */
  services?: (deps: ServiceDeps) => readonly CdsService[];
  /** Further `smartApp.issuers` entries besides the harness FHIR server (e.g. one that is down). */
  extraIssuers?: { iss: string; name?: string }[];
  /** `smartApp.frameAncestors`: EHR origins allowed to embed the app. */
  frameAncestors?: string[];
  /** Further file-config fields (e.g. `cards`, `modelSettings`). */
  file?: Record<string, unknown>;
  /** Mounts the monitoring routes with this token (as AUGUR_METRICS_TOKEN does in src/main.ts). */
  metricsToken?: string;
}

/** What the page said once the launch settled: `ready`, `error:<kind>`, or `choose`. */
export type LaunchState = string;

export interface PageDiagnostics {
  /** Console errors (CSP violations are reported here as "Refused to …"). */
  consoleErrors: string[];
  /** Uncaught exceptions in the page. */
  pageErrors: string[];
  /** Responses with status ≥ 400, as `<status> <method> <url>`. */
  failedResponses: string[];
}

export interface Harness {
  /** e.g. `http://127.0.0.1:41236` — Augur, serving /smart-launch/ and the APIs. */
  augurUrl: string;
  /** The Augur test app (store, `token(path)` for signed hook calls, deps, config). */
  augur: ServiceApp;
  /** The FHIR server the app is launched against: `seed([...])`, `requests`, `baseUrl`. */
  fhir: FhirServer;
  /** The access token the authorization server issues and the FHIR server requires. */
  accessToken: string;
  auth: AuthServer;
  browser: Browser;
  /** A page in a fresh browser context (own sessionStorage, cookies); `locale` is the browser's language. */
  newPage(options?: { locale?: string }): Promise<Page>;
  diagnostics(page: Page): PageDiagnostics;
  /** EHR launch (`launch.html?iss=…&launch=…`) for a patient; resolves with the settled launch state. */
  ehrLaunch(page: Page, context: LaunchContext): Promise<LaunchState>;
  /** Standalone launch (`launch.html`, the single configured server); the auth server picks `patientId`. */
  standaloneLaunch(page: Page, context?: Partial<LaunchContext>): Promise<LaunchState>;
  /** Waits until `<html data-launch>` is set (on launch.html or index.html) and returns it. */
  launchState(page: Page): Promise<LaunchState>;
  /** Waits until the app has rendered the patient's page (`<html data-app="ready">`). */
  appReady(page: Page): Promise<void>;
  close(): Promise<void>;
}

/** The built app for this test run (test/smart-launch/build-app.ts, a vitest globalSetup). */
export function testAppDir(): string {
  const dir = process.env['AUGUR_TEST_APP_DIR'];
  if (dir === undefined || !existsSync(join(dir, 'launch.html')))
    throw new Error(
      'the side app was not built for this run: test/smart-launch/build-app.ts (globalSetup) must run',
    );
  return dir;
}

function requireChromium(): void {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}: the side app's browser tests need it. ` +
        'Run .ci/run, or: apt-get install -y chromium fonts-liberation',
    );
}

async function listenLate(): Promise<{
  url: string;
  attach(handler: (req: IncomingMessage, res: ServerResponse) => void): void;
  close(): Promise<void>;
}> {
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const server = createServer((req, res) => {
    if (handler === undefined) {
      res.writeHead(503).end();
      return;
    }
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    attach: (h) => {
      handler = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

export async function startHarness(o: HarnessOptions = {}): Promise<Harness> {
  requireChromium();
  const appDir = testAppDir();
  const accessToken = randomBytes(32).toString('base64url');
  const fhir = await startFhirServer({ requireToken: accessToken, cors: true });
  const augurSocket = await listenLate();
  const auth = await startAuthServer({
    clientId: CLIENT_ID,
    redirectUri: `${augurSocket.url}/smart-launch/index.html`,
    fhirBaseUrl: fhir.baseUrl,
    accessToken,
  });
  fhir.configureSmart({
    authorizationEndpoint: auth.authorizationEndpoint,
    tokenEndpoint: auth.tokenEndpoint,
  });

  const models = await builtInModels();
  const limiter = new MemoryRateLimiter();
  const augur = await startServiceApp(o.services ?? (() => []), {
    // The test EHR's CDS client may name this FHIR server in hook calls (Augur's SSRF allowlist).
    client: { fhirServers: [fhir.baseUrl] },
    file: {
      smartLaunchUrl: `${augurSocket.url}/smart-launch/launch.html`,
      smartApp: {
        clientId: CLIENT_ID,
        issuers: [
          { iss: fhir.baseUrl, name: 'Harness EHR', connectOrigins: [auth.origin] },
          ...(o.extraIssuers ?? []),
        ],
        frameAncestors: o.frameAncestors ?? [],
      },
      ...o.file,
    },
    // As src/main.ts mounts them: the model API (the app evaluates with it) and the side app's routers.
    routers: (config, store) => [
      modelsRouter(models),
      ...smartRouters({ config, store, limiter, models, log: testLogger(), appDir }),
      ...metricsRouter({ token: o.metricsToken, store, distributions: () => distributionsOf(models) }),
    ],
  });
  augurSocket.attach(augur.app);

  // playwright launches with a fresh temporary profile (user-data dir) each time and removes it on close.
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const diagnostics = new WeakMap<Page, PageDiagnostics>();

  const launchState = async (page: Page): Promise<LaunchState> => {
    const html = page.locator('html[data-launch]');
    try {
      await html.waitFor({ state: 'attached', timeout: LAUNCH_TIMEOUT_MS });
    } catch (err) {
      // Say where the launch stopped instead of a bare timeout.
      const d = diagnostics.get(page);
      const body = await page
        .locator('body')
        .innerText()
        .catch(() => '(no body)');
      throw new Error(
        `the launch did not settle: at ${page.url()}\npage: ${body.slice(0, 500)}\n` +
          `console errors: ${JSON.stringify(d?.consoleErrors)}\npage errors: ${JSON.stringify(d?.pageErrors)}\n` +
          `failed responses: ${JSON.stringify(d?.failedResponses)}`,
        { cause: err },
      );
    }
    return (await html.getAttribute('data-launch')) ?? '';
  };

  return {
    augurUrl: augurSocket.url,
    augur,
    fhir,
    accessToken,
    auth,
    browser,
    async newPage(options = {}) {
      const context = await browser.newContext(
        options.locale === undefined ? {} : { locale: options.locale },
      );
      const page = await context.newPage();
      const d: PageDiagnostics = { consoleErrors: [], pageErrors: [], failedResponses: [] };
      page.on('response', (r) => {
        if (r.status() >= 400) d.failedResponses.push(`${r.status()} ${r.request().method()} ${r.url()}`);
      });
      page.on('console', (m) => {
        if (m.type() === 'error') d.consoleErrors.push(m.text());
      });
      page.on('pageerror', (e) => d.pageErrors.push(e.message));
      diagnostics.set(page, d);
      return page;
    },
    diagnostics: (page) =>
      diagnostics.get(page) ?? { consoleErrors: [], pageErrors: [], failedResponses: [] },
    launchState,
    async appReady(page) {
      await page.locator('html[data-app="ready"]').waitFor({ state: 'attached', timeout: RENDER_TIMEOUT_MS });
    },
    async ehrLaunch(page, context) {
      const launch = auth.registerLaunch(context);
      const url = new URL(`${augurSocket.url}/smart-launch/launch.html`);
      url.searchParams.set('iss', fhir.baseUrl);
      url.searchParams.set('launch', launch);
      await page.goto(url.href);
      return launchState(page);
    },
    async standaloneLaunch(page, context = {}) {
      auth.standaloneContext = { patientId: 'unset', ...context };
      await page.goto(`${augurSocket.url}/smart-launch/launch.html`);
      return launchState(page);
    },
    async close() {
      await browser.close();
      await augur.close();
      await augurSocket.close();
      await auth.stop();
      await fhir.stop();
    },
  };
}
