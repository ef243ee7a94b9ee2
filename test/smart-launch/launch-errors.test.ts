/**
 * Launch failures a person can act on, in Chromium: each ends on a page that says what happened and
 * what to do — never a blank page — and leaves no code/state in the URL.
 */
import { createServer } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aPatient } from '../support/fhir-builders.js';
import { startHarness, type Harness } from './harness.js';
import { capture } from './screenshots.js';

let h: Harness;
let downBase: string;

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

beforeAll(async () => {
  downBase = `http://127.0.0.1:${await closedPort()}/fhir`;
  h = await startHarness({ extraIssuers: [{ iss: downBase, name: 'Down EHR' }] });
  await h.fhir.seed([aPatient({ id: 'p1', gender: 'female', birthDate: '1960-05-01' })]);
});
afterAll(async () => {
  await h.close();
});

async function alertText(page: Page): Promise<string> {
  return page.getByRole('alert').innerText();
}

const queryKeys = (page: Page): string[] => [...new URL(page.url()).searchParams.keys()];

describe('launch errors', () => {
  it('denied consent: says access was not granted and how to retry', async () => {
    const page = await h.newPage();
    h.auth.denyNext();
    expect(await h.ehrLaunch(page, { patientId: 'p1' })).toBe('error:denied');
    const text = await alertText(page);
    expect(text).toContain('Access was not granted');
    expect(text).toContain('allow access');
    expect(queryKeys(page)).toEqual([]);
    await page.context().close();
  });

  it('a token the FHIR server refuses (401): says the session has ended', async () => {
    const page = await h.newPage();
    h.auth.overrideNextToken({ access_token: 'expired-or-revoked' });
    expect(await h.ehrLaunch(page, { patientId: 'p1' })).toBe('error:expired');
    expect(h.fhir.requests.at(-1)?.authorization).toBe('Bearer expired-or-revoked');
    expect(await alertText(page)).toContain('Your session has ended');
    await page.context().close();
  });

  it('a token already past its lifetime (no refresh token): says the session has ended, before using it', async () => {
    const page = await h.newPage();
    h.auth.overrideNextToken({ expires_in: -60, access_token: 'stale-token' });
    expect(await h.ehrLaunch(page, { patientId: 'p1' })).toBe('error:expired');
    expect(h.fhir.requests.filter((r) => r.authorization === 'Bearer stale-token')).toEqual([]);
    await page.context().close();
  });

  it('an allowlisted FHIR server that is down: says it could not be reached', async () => {
    const page = await h.newPage();
    await page.goto(`${h.augurUrl}/smart-launch/launch.html?iss=${encodeURIComponent(downBase)}&launch=x`);
    expect(await h.launchState(page)).toBe('error:unreachable');
    expect(await alertText(page)).toContain('could not be reached');
    await page.context().close();
  });

  it('reopening the app page with no session (a stale bookmark): says to open Augur again from the chart', async () => {
    const page = await h.newPage();
    await page.goto(`${h.augurUrl}/smart-launch/index.html`);
    expect(await h.launchState(page)).toBe('error:expired');
    expect(await alertText(page)).toContain("Open Augur again from the patient's chart");
    await page.context().close();
  });

  it('every error page has a title, a reason and an action (never a blank page)', async () => {
    const page = await h.newPage();
    await page.goto(
      `${h.augurUrl}/smart-launch/launch.html?iss=${encodeURIComponent('https://evil.example/fhir')}`,
    );
    expect(await h.launchState(page)).toBe('error:unknown-issuer');
    const alert = page.getByRole('alert');
    expect(await alert.locator('h1').innerText()).toBe('This EHR is not connected to Augur');
    expect(await alert.locator('.launch-error-detail').innerText()).toBe(
      'Augur is not set up for the FHIR server at evil.example.',
    );
    expect(await alert.locator('.launch-error-action').innerText()).toContain('administrator');
    await capture(page, h.browser, 'launch-error');
    await page.context().close();
  });
});

describe('standalone launch with several allowed FHIR servers', () => {
  it('asks which EHR, linking each allowlisted server', async () => {
    const page = await h.newPage();
    await page.goto(`${h.augurUrl}/smart-launch/launch.html`);
    expect(await h.launchState(page)).toBe('choose');
    const links = await page
      .locator('.launch-chooser a')
      .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    expect(links.map((l) => new URL(l).searchParams.get('iss'))).toEqual([h.fhir.baseUrl, downBase]);
    await capture(page, h.browser, 'launch-chooser');
    h.auth.standaloneContext = { patientId: 'p1' };
    await page.locator('.launch-chooser a').first().click();
    await page.waitForURL((u) => u.pathname === '/smart-launch/index.html');
    expect(await h.launchState(page)).toBe('ready');
    expect(h.auth.authorizeRequests.at(-1)?.['aud']).toBe(h.fhir.baseUrl);
    await page.context().close();
  });
});
