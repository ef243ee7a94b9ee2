/**
 * SMART launches of the side app in headless Chromium against a real authorization server and a real
 * FHIR server: what the authorize request carries, where the token goes and where it does not stay,
 * and that the page's CSP is enforced by the browser.
 */
import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveResult, type ResultPayload } from '../../src/cards/result.js';
import { aPatient } from '../support/fhir-builders.js';
import { CLIENT_ID, startHarness, type Harness } from './harness.js';

const READ_SCOPES =
  'openid fhirUser patient/Condition.rs patient/Medication.rs patient/MedicationRequest.rs ' +
  'patient/MedicationStatement.rs patient/Observation.rs patient/Patient.rs';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  await h.fhir.seed([
    aPatient({ id: 'p1', gender: 'female', birthDate: '1960-05-01' }),
    aPatient({ id: 'p2', gender: 'male', birthDate: '1955-02-03' }),
  ]);
});
afterAll(async () => {
  await h.close();
});

/** Every request the page makes, with its Authorization header. */
function recordRequests(page: Page): { url: string; authorization: string | undefined }[] {
  const seen: { url: string; authorization: string | undefined }[] = [];
  page.on('request', (r: Request) => {
    seen.push({ url: r.url(), authorization: r.headers()['authorization'] });
  });
  return seen;
}

const lastAuthorize = (): Record<string, string | undefined> => h.auth.authorizeRequests.at(-1) ?? {};

describe('EHR launch', () => {
  it('completes with PKCE S256, the exact scopes and a fresh 256-bit state, and leaves no code/state in the URL', async () => {
    const page = await h.newPage();
    expect(await h.ehrLaunch(page, { patientId: 'p1' })).toBe('ready');
    const first = lastAuthorize();
    expect(first['code_challenge_method']).toBe('S256');
    expect(first['code_challenge']).toMatch(/^[A-Za-z0-9_-]{43}$/); // base64url SHA-256
    expect(first['scope']).toBe(`launch ${READ_SCOPES}`);
    expect(first['client_id']).toBe(CLIENT_ID);
    expect(first['aud']).toBe(h.fhir.baseUrl);
    expect(first['redirect_uri']).toBe(`${h.augurUrl}/smart-launch/index.html`);
    expect(first['state']).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes, base64url: 256 bits
    expect(h.auth.tokenRequests.at(-1)?.['code_verifier']).toMatch(/^[A-Za-z0-9._~-]{43,128}$/);

    const url = new URL(page.url());
    expect(url.pathname).toBe('/smart-launch/index.html');
    expect([...url.searchParams.keys()]).toEqual([]);

    const again = await h.newPage();
    expect(await h.ehrLaunch(again, { patientId: 'p1' })).toBe('ready');
    expect(lastAuthorize()['state']).not.toBe(first['state']);
    expect(lastAuthorize()['code_challenge']).not.toBe(first['code_challenge']);
    await page.context().close();
    await again.context().close();
  });

  it('sends the token only to the FHIR server, and keeps it out of localStorage, cookies and URLs', async () => {
    const page = await h.newPage();
    const requests = recordRequests(page);
    expect(await h.ehrLaunch(page, { patientId: 'p2' })).toBe('ready');

    const withAuth = requests.filter((r) => r.authorization !== undefined);
    expect(withAuth.length).toBeGreaterThan(0);
    for (const r of withAuth) {
      expect(new URL(r.url).origin).toBe(h.fhir.origin);
      expect(r.authorization).toBe(`Bearer ${h.accessToken}`);
    }
    expect(requests.filter((r) => r.url.includes(h.accessToken))).toEqual([]);
    expect(h.fhir.requests.some((r) => r.url === '/fhir/Patient/p2')).toBe(true);

    const storage = await page.evaluate(() => {
      const dump = (s: Storage): string =>
        JSON.stringify(Array.from({ length: s.length }, (_, i) => [s.key(i), s.getItem(s.key(i) ?? '')]));
      return { local: dump(localStorage), session: dump(sessionStorage), cookie: document.cookie };
    });
    expect(storage.local).not.toContain(h.accessToken);
    expect(storage.cookie).toBe('');
    expect(await page.context().cookies()).toEqual([]);
    // Where it does live: this tab's sessionStorage (fhirclient), gone with the tab.
    expect(storage.session).toContain(h.accessToken);
    await page.context().close();
  });

  it('passes the card’s appContext through: the app reads that stored result for the launch patient', async () => {
    const payload: ResultPayload = {
      version: 1,
      serviceId: 'harness',
      computedAt: '2026-11-22T00:00:00Z',
      runs: [],
    };
    const id = await saveResult(h.augur.store, { patientRef: 'Patient/p1', payload }, new Date(), 3_600_000);
    const page = await h.newPage();
    const read = page.waitForResponse((r) => r.url().includes('/api/results/'));
    expect(await h.ehrLaunch(page, { patientId: 'p1', appContext: id })).toBe('ready');
    const response = await read;
    expect(response.url()).toBe(`${h.augurUrl}/api/results/${id}?patient=p1`);
    expect(response.status()).toBe(200);
    expect(await response.json()).toEqual(payload);
    const audit = await h.augur.store.readAudit({ type: 'result-read', patientRef: 'Patient/p1' });
    expect(audit.map((a) => a.outcome)).toContain('0');
    await page.context().close();
  });
  it('without a usable appContext (absent, malformed, unknown/expired) the app rebuilds from the launch context', async () => {
    for (const appContext of [undefined, 'not-a-result-id', 'AAAAAAAAAAAAAAAAAAAAAA']) {
      const page = await h.newPage();
      const reads = recordRequests(page);
      expect(
        await h.ehrLaunch(page, { patientId: 'p1', ...(appContext === undefined ? {} : { appContext }) }),
      ).toBe('ready');
      // The UI (index.ts) marks <html data-app> once it has rendered from the session.
      await page.locator('html[data-app="ready"]').waitFor({ state: 'attached', timeout: 15_000 });
      const resultReads = reads.filter((r) => r.url.includes('/api/results/')).map((r) => r.url);
      expect(resultReads).toEqual(
        appContext === 'AAAAAAAAAAAAAAAAAAAAAA' ? [`${h.augurUrl}/api/results/${appContext}?patient=p1`] : [],
      );
      await page.context().close();
    }
  });
});

describe('standalone launch', () => {
  it('completes against the only configured FHIR server with launch/patient', async () => {
    const page = await h.newPage();
    expect(await h.standaloneLaunch(page, { patientId: 'p2' })).toBe('ready');
    const q = lastAuthorize();
    expect(q['launch']).toBeUndefined();
    expect(q['scope']).toBe(`launch/patient ${READ_SCOPES}`);
    expect(q['code_challenge_method']).toBe('S256');
    expect(q['aud']).toBe(h.fhir.baseUrl);
    expect([...new URL(page.url()).searchParams.keys()]).toEqual([]);
    expect(h.fhir.requests.some((r) => r.url === '/fhir/Patient/p2')).toBe(true);
    await page.context().close();
  });
});

describe('refusals', () => {
  it('refuses a tampered state without exchanging the code', async () => {
    const page = await h.newPage();
    // Between the authorization server and the app: its redirect back arrives with a different state.
    await page.route(
      (url) => url.href.startsWith(h.auth.authorizationEndpoint),
      async (route) => {
        const response = await route.fetch({ maxRedirects: 0 });
        const location = new URL(response.headers()['location'] ?? '');
        location.searchParams.set('state', `${location.searchParams.get('state') ?? ''}x`);
        await route.fulfill({ status: 302, headers: { location: location.href } });
      },
    );
    const tokens = h.auth.tokenRequests.length;
    expect(await h.ehrLaunch(page, { patientId: 'p1' })).toBe('error:state');
    expect(h.auth.tokenRequests.length).toBe(tokens);
    expect([...new URL(page.url()).searchParams.keys()]).toEqual([]);
    expect(await page.getByRole('alert').innerText()).toContain('Sign-in stopped for your safety');
    await page.context().close();
  });

  it('refuses an off-list iss before any request leaves Augur', async () => {
    const page = await h.newPage();
    const requests = recordRequests(page);
    const authorizations = h.auth.authorizeRequests.length;
    const fhirRequests = h.fhir.requests.length;
    await page.goto(
      `${h.augurUrl}/smart-launch/launch.html?iss=${encodeURIComponent(`${h.fhir.baseUrl}-other`)}&launch=x`,
    );
    expect(await h.launchState(page)).toBe('error:unknown-issuer');
    expect(new URL(page.url()).pathname).toBe('/smart-launch/launch.html');
    expect(requests.map((r) => new URL(r.url).origin).filter((o) => o !== h.augurUrl)).toEqual([]);
    expect(h.auth.authorizeRequests.length).toBe(authorizations);
    expect(h.fhir.requests.length).toBe(fhirRequests);
    expect(await page.getByRole('alert').innerText()).toContain('This EHR is not connected to Augur');
    await page.context().close();
  });

  it('refuses launch links that would override the client or skip authorization', async () => {
    const page = await h.newPage();
    const requests = recordRequests(page);
    await page.goto(
      `${h.augurUrl}/smart-launch/launch.html?fhirServiceUrl=${encodeURIComponent(h.fhir.baseUrl)}`,
    );
    expect(await h.launchState(page)).toBe('error:other');
    expect(await page.getByRole('alert').innerText()).toContain('"fhirServiceUrl"');
    expect(requests.map((r) => new URL(r.url).origin).filter((o) => o !== h.augurUrl)).toEqual([]);
    await page.context().close();
  });
});

describe('Content-Security-Policy', () => {
  it('is enforced by the browser: the launch runs without a violation and an injected inline script does not run', async () => {
    const page = await h.newPage();
    expect(await h.ehrLaunch(page, { patientId: 'p1' })).toBe('ready');
    const csp = h.diagnostics(page).consoleErrors.filter((e) => e.includes('Content Security Policy'));
    expect(csp).toEqual([]);
    const ran = await page.evaluate(async () => {
      const w = window as unknown as { injected?: boolean };
      const s = document.createElement('script');
      s.textContent = 'window.injected = true';
      document.head.append(s);
      await new Promise((resolve) => setTimeout(resolve, 50));
      return w.injected === true;
    });
    expect(ran).toBe(false);
    expect(h.diagnostics(page).consoleErrors.some((e) => e.includes('Content Security Policy'))).toBe(true);
    await page.context().close();
  });
});
