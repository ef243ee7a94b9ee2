/**
 * The app inside an EHR's frame, in Chromium: an EHR origin listed in `smartApp.frameAncestors` can
 * embed it and the launch completes in the frame; any other origin is refused by the browser (CSP
 * frame-ancestors), so the app never loads there.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aPatient } from '../support/fhir-builders.js';
import { startHarness, type Harness } from './harness.js';

/** A minimal "EHR chart" page on its own origin that frames the URL given in `?app=`. */
async function startEhrPage(): Promise<{ origin: string; server: Server }> {
  const server = createServer((req, res) => {
    const app = new URL(req.url ?? '/', 'http://x').searchParams.get('app') ?? 'about:blank';
    const src = app.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(
      `<!doctype html><title>EHR chart</title><iframe id="app" src="${src}" width="800" height="600"></iframe>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

let h: Harness;
let allowed: { origin: string; server: Server };
let other: { origin: string; server: Server };

beforeAll(async () => {
  allowed = await startEhrPage();
  other = await startEhrPage();
  h = await startHarness({ frameAncestors: [allowed.origin] });
  await h.fhir.seed([aPatient({ id: 'p1', gender: 'female', birthDate: '1960-05-01' })]);
});
afterAll(async () => {
  await h.close();
  for (const s of [allowed.server, other.server]) {
    s.closeAllConnections();
    s.close();
  }
});

function launchUrl(): string {
  const url = new URL(`${h.augurUrl}/smart-launch/launch.html`);
  url.searchParams.set('iss', h.fhir.baseUrl);
  url.searchParams.set('launch', h.auth.registerLaunch({ patientId: 'p1' }));
  return url.href;
}

describe('embedded in an EHR frame', () => {
  it('an allowed EHR origin: the launch completes inside the frame', async () => {
    const page = await h.newPage();
    await page.goto(`${allowed.origin}/chart?app=${encodeURIComponent(launchUrl())}`);
    const frame = page.frameLocator('#app');
    await frame.locator('html[data-launch]').waitFor({ state: 'attached', timeout: 15_000 });
    expect(await frame.locator('html').getAttribute('data-launch')).toBe('ready');
    const inner = page.frames().find((f) => f.url().startsWith(`${h.augurUrl}/smart-launch/index.html`));
    expect(inner).toBeDefined();
    expect(new URL(inner?.url() ?? '').search).toBe('');
    await page.context().close();
  });

  it('any other origin: the browser refuses to render the app in its frame', async () => {
    const page = await h.newPage();
    const authorizations = h.auth.authorizeRequests.length;
    await page.goto(`${other.origin}/chart?app=${encodeURIComponent(launchUrl())}`);
    await page.waitForLoadState('load');
    await expect
      .poll(() => h.diagnostics(page).consoleErrors.some((e) => e.includes('frame-ancestors')))
      .toBe(true);
    expect(await page.frameLocator('#app').locator('html[data-launch]').count()).toBe(0);
    expect(h.auth.authorizeRequests.length).toBe(authorizations);
    await page.context().close();
  });
});
