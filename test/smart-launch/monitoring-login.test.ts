/**
 * The monitoring page's SMART administrator login, in headless Chromium against the sandbox's real
 * OpenID Connect server (oidc-provider): a configured admin signs in and sees the page's data without
 * the token; the session cookie is __Host-, Secure, HttpOnly, SameSite=Strict; a signed-in user who is
 * not a configured admin gets a 403 page that says so; a callback not started here is refused; the
 * session does not open /metrics (token only).
 */
import { createServer, type Server } from 'node:http';
import { chromium, type Browser } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_USER, startAuthServer, type AuthServer } from '../../sandbox/auth-server/server.js';
import { freePort } from '../../sandbox/free-port.js';
import { metricsRouter } from '../../src/monitoring/routes.js';
import { SESSION_COOKIE } from '../../src/monitoring/admin-login.js';
import { smartRouters } from '../../src/smart/index.js';
import { MemoryRateLimiter } from '../../src/auth/rate-limit.js';
import { builtInModels } from '../support/services.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { testLogger } from '../support/logs.js';
import { CHROMIUM, testAppDir } from './harness.js';

const TOKEN = 'monitoring-login-token-0123456789abcdef';
const CLIENT_ID = 'augur-monitoring';

interface Site {
  url: string;
  app: TestApp;
  server: Server;
}

let auth: AuthServer;
let browser: Browser;
const sites: Site[] = [];

/** An Augur on its own port whose admin list is `users`, against the sandbox issuer on `authPort`. */
async function startSite(authPort: number, users: string[]): Promise<Site> {
  const port = await freePort();
  const url = `http://127.0.0.1:${String(port)}`;
  const models = await builtInModels();
  const app = await startTestApp({
    file: {
      publicBaseUrl: url,
      monitoring: { admin: { issuer: `http://127.0.0.1:${String(authPort)}`, clientId: CLIENT_ID, users } },
    },
    routers: (config, store) => [
      ...smartRouters({
        config,
        store,
        limiter: new MemoryRateLimiter(),
        models,
        log: testLogger(),
        appDir: testAppDir(),
      }),
      ...metricsRouter({
        token: TOKEN,
        store,
        ...(config.monitoring.admin === undefined
          ? {}
          : { admin: { config: config.monitoring.admin, publicBaseUrl: config.publicBaseUrl } }),
      }),
    ],
  });
  const server = createServer(app.app);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const site = { url, app, server };
  sites.push(site);
  return site;
}

const augurCookies = (cookies: { name: string }[]): string[] =>
  cookies.map((c) => c.name).filter((n) => n.startsWith('__Host-augur'));

let admin: Site;
let notAdmin: Site;

beforeAll(async () => {
  const authPort = await freePort();
  admin = await startSite(authPort, [SANDBOX_USER.fhirUser]);
  notAdmin = await startSite(authPort, ['Practitioner/someone-else']);
  auth = await startAuthServer({
    port: authPort,
    fhirBaseUrl: 'http://127.0.0.1:9/fhir',
    apps: [
      {
        clientId: CLIENT_ID,
        redirectUris: [admin, notAdmin].map((s) => `${s.url}/api/monitoring/login/callback`),
      },
    ],
    ehrClient: { clientId: 'unused-ehr', clientSecret: 'unused-secret-0123456789' },
    listPatients: () => Promise.resolve([]),
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
}, 120_000);

afterAll(async () => {
  await browser.close();
  await auth.stop();
  for (const s of sites) {
    s.server.closeAllConnections();
    await new Promise<void>((resolve) =>
      s.server.close(() => {
        resolve();
      }),
    );
    await s.app.close();
  }
});

describe('monitoring page: SMART admin login', () => {
  it('a configured admin signs in and sees the page without the token; the cookie is locked down', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${admin.url}/smart-launch/monitoring.html`);
    await page.click('#admin-login a');
    // The sandbox's consent page (oidc-provider interaction): allow.
    await page.click('#allow');
    await page.waitForURL(`${admin.url}/smart-launch/monitoring.html`);
    await expect(page.locator('#signed-in').innerText()).resolves.toBe(
      `Signed in as ${SANDBOX_USER.fhirUser} (monitoring administrator).`,
    );
    await page
      .locator('#monitoring-status', { hasText: /^Since \d{4}-\d{2}-\d{2}\.$/ })
      .waitFor({ timeout: 10_000 });
    await expect(page.locator('#rates').innerText()).resolves.toBe('No cards were shown in this period.');

    const cookies = await context.cookies(admin.url);
    const session = cookies.find((c) => c.name === SESSION_COOKIE);
    expect(session).toMatchObject({
      secure: true,
      httpOnly: true,
      sameSite: 'Strict',
      path: '/',
      domain: '127.0.0.1',
    });
    // The login cookie (state, nonce, PKCE verifier) is gone once used. (Cookies ignore ports: the
    // sandbox issuer's own session cookies on 127.0.0.1 are listed too, and left out here.)
    expect(augurCookies(cookies)).toEqual([SESSION_COOKIE]);

    // The session opens the page's API, not /metrics (Prometheus: token only).
    const cookie = `${SESSION_COOKIE}=${session?.value ?? ''}`;
    await request(admin.app.app).get('/api/monitoring/me').set('Cookie', cookie).expect(200, {
      via: 'sign-in',
      user: SANDBOX_USER.fhirUser,
    });
    await request(admin.app.app).get('/metrics').set('Cookie', cookie).expect(401);
    // Another site (another token, so another cookie key) does not accept it.
    await request(notAdmin.app.app)
      .get('/api/monitoring/me')
      .set('Cookie', cookie)
      .expect(200, { via: 'none' });
    await request(notAdmin.app.app).get('/api/monitoring/card-rates').set('Cookie', cookie).expect(401);

    const out = page.waitForResponse((r) => r.url() === `${admin.url}/api/monitoring/logout`);
    await page.click('#logout');
    expect((await out).status()).toBe(204);
    expect(augurCookies(await context.cookies(admin.url))).toEqual([]);
    await context.close();
  });

  it('a signed-in user who is not a configured admin is refused with a 403 page saying so', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${notAdmin.url}/smart-launch/monitoring.html`);
    const callback = page.waitForResponse((r) =>
      r.url().startsWith(`${notAdmin.url}/api/monitoring/login/callback`),
    );
    await page.click('#admin-login a');
    await page.click('#allow');
    expect((await callback).status()).toBe(403);
    await expect(page.locator('h1').innerText()).resolves.toBe('Not a monitoring administrator');
    await expect(page.locator('main p').first().innerText()).resolves.toContain(
      `You signed in as ${SANDBOX_USER.fhirUser}, who is not a configured monitoring administrator`,
    );
    expect(augurCookies(await context.cookies(notAdmin.url))).toEqual([]);
    await context.close();
  });

  it('refuses a callback that was not started here (no login cookie, forged state)', async () => {
    const res = await request(admin.app.app)
      .get('/api/monitoring/login/callback?code=x&state=forged')
      .expect(400);
    expect(res.text).toContain('Sign-in expired');
    await request(admin.app.app)
      .get('/api/monitoring/drift')
      .set('Cookie', `${SESSION_COOKIE}=forged`)
      .expect(401);
  });
});
