/**
 * The monitoring page (monitoring.html): the site enters the monitoring token (kept only in this
 * page's memory, sent only to Augur's own /api/monitoring), and sees acceptance and override rates per
 * card per day. Text goes in as text nodes; no inline script or style (the side app's CSP).
 */
import './styles/app.css';
import './styles/monitoring.css';
import { h } from './app/dom.js';
import { cardTables, driftTables, type CardRate, type DriftReportBody } from './monitoring-view.js';

const form = document.querySelector<HTMLFormElement>('#monitoring-login');
const status = document.querySelector<HTMLElement>('#monitoring-status');
const out = document.querySelector<HTMLElement>('#rates');
const driftOut = document.querySelector<HTMLElement>('#drift');

function render(rows: readonly CardRate[]): void {
  if (out === null) return;
  const tables = cardTables(rows);
  out.replaceChildren(
    ...(tables.length === 0
      ? [h('p', {}, 'No cards were shown in this period.')]
      : tables.map((t) =>
          h(
            'section',
            { class: 'card-rates', 'data-card': t.title },
            h('h2', {}, t.title),
            h('p', { class: 'totals' }, t.totals),
            h(
              'table',
              {},
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  ['Day (UTC)', 'Shown', 'Accepted', 'Overridden'].map((c) => h('th', { scope: 'col' }, c)),
                ),
              ),
              h(
                'tbody',
                {},
                t.days.map((d) =>
                  h(
                    'tr',
                    {},
                    h('td', {}, d.day),
                    h('td', {}, d.shown),
                    h('td', {}, d.accepted),
                    h('td', {}, d.overridden),
                  ),
                ),
              ),
            ),
          ),
        )),
  );
}

function renderDrift(report: DriftReportBody): void {
  if (driftOut === null) return;
  const tables = driftTables(report);
  const t = report.thresholds;
  driftOut.replaceChildren(
    h('h2', {}, 'Input drift (population stability index per week)'),
    h(
      'p',
      { class: 'thresholds' },
      `PSI < ${String(t.moderate)} stable; ${String(t.moderate)}–${String(t.significant)} moderate shift; ≥ ${String(t.significant)} significant shift. Source: ${t.source}`,
    ),
    ...(tables.length === 0
      ? [h('p', {}, 'No model runs counted in this period.')]
      : tables.map((d) =>
          h(
            'section',
            { class: 'drift', 'data-model': d.title },
            h('h3', {}, d.title),
            h('p', { class: 'population' }, `Against: ${d.population}`),
            h(
              'table',
              {},
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  h('th', { scope: 'col' }, 'Input'),
                  d.weeks.map((w) => h('th', { scope: 'col' }, `Week of ${w}`)),
                ),
              ),
              h(
                'tbody',
                {},
                d.inputs.map((row) =>
                  h(
                    'tr',
                    { 'data-input': row.input },
                    h('th', { scope: 'row' }, row.input),
                    row.cells.map((c) => h('td', { class: `psi-${c.level}` }, c.text)),
                  ),
                ),
              ),
            ),
          ),
        )),
  );
}

/** The token typed in, or none: then the admin's session cookie (same origin) authenticates. */
const authHeaders = (token: string | undefined): Record<string, string> =>
  token === undefined ? {} : { Authorization: `Bearer ${token}` };

async function load(token: string | undefined, days: string): Promise<void> {
  if (status !== null) status.textContent = 'Loading…';
  const res = await fetch(`../api/monitoring/card-rates?days=${encodeURIComponent(days)}`, {
    headers: authHeaders(token),
    cache: 'no-store',
  });
  if (!res.ok) {
    if (status !== null)
      status.textContent =
        res.status === 401 ? 'The token was not accepted.' : `Augur answered ${String(res.status)}.`;
    out?.replaceChildren();
    return;
  }
  const body = (await res.json()) as { since: string; rows: CardRate[] };
  if (status !== null) status.textContent = `Since ${body.since.slice(0, 10)}.`;
  render(body.rows);
  const weeks = String(Math.min(52, Math.ceil(Number(days) / 7)));
  const drift = await fetch(`../api/monitoring/drift?weeks=${weeks}`, {
    headers: authHeaders(token),
    cache: 'no-store',
  });
  if (drift.ok) renderDrift((await drift.json()) as DriftReportBody);
}

const signedIn = document.querySelector<HTMLElement>('#signed-in');
const logout = document.querySelector<HTMLButtonElement>('#logout');

/** An administrator signed in with SMART (session cookie): show who, and the data, without the token. */
async function session(): Promise<void> {
  const res = await fetch('../api/monitoring/me', { cache: 'no-store' });
  if (!res.ok) return;
  const me = (await res.json()) as { via: string; user?: string };
  if (me.via !== 'sign-in' || me.user === undefined) return;
  if (signedIn !== null) signedIn.textContent = `Signed in as ${me.user} (monitoring administrator).`;
  logout?.removeAttribute('hidden');
  await load(undefined, form?.querySelector<HTMLSelectElement>('#days')?.value ?? '30');
}

logout?.addEventListener('click', () => {
  // A JSON body: Augur's body reader takes POSTs as application/json only.
  const init = { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' };
  void fetch('../api/monitoring/logout', init).then(() => {
    window.location.reload();
  });
});

void session();

form?.addEventListener('submit', (e) => {
  e.preventDefault();
  const token = form.querySelector<HTMLInputElement>('#token')?.value ?? '';
  const days = form.querySelector<HTMLSelectElement>('#days')?.value ?? '30';
  void load(token, days);
});
