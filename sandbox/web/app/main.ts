/**
 * The EHR simulator page: choose a patient, fire hooks, render the cards as CDS Hooks 2.0 says, take
 * suggestions (accepted feedback) or override with a reason (overridden feedback), launch SMART links
 * through the sandbox's authorization server, reset the patient's card history, and inspect every call.
 * Markdown goes through marked, then DOMPurify, before it reaches the DOM.
 */
import DOMPurify from 'dompurify';
import { marked } from 'marked';
import { api, type Coding, type Exchange, type Patients, type State } from './types.js';

type Attrs = Record<string, string | undefined>;
function h(tag: string, attrs: Attrs = {}, ...children: (Node | string | undefined)[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) el.setAttribute(k, v);
  for (const c of children) if (c !== undefined) el.append(c);
  return el;
}

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the element type
function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`#${id} missing`);
  return el as T;
}

/** Any JSON, rendered generically: objects and arrays collapsible, scalars inline. */
export function jsonView(value: unknown, label = '', open = false): HTMLElement {
  if (typeof value !== 'object' || value === null) {
    return h('div', {}, label === '' ? '' : `${label}: `, h('code', {}, JSON.stringify(value)));
  }
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  const d = h(
    'details',
    { class: 'json' },
    h('summary', {}, `${label}${Array.isArray(value) ? ` [${String(entries.length)}]` : ' {…}'}`),
  );
  if (open) d.setAttribute('open', '');
  for (const [k, v] of entries) d.append(jsonView(v, k));
  return d;
}

interface Card {
  uuid?: string;
  summary: string;
  detail?: string;
  indicator: string;
  source: { label: string; url?: string; topic?: Coding };
  suggestions?: { label: string; uuid?: string; isRecommended?: boolean; actions?: unknown[] }[];
  selectionBehavior?: string;
  overrideReasons?: Coding[];
  links?: { label: string; url: string; type: string; appContext?: string }[];
}

let state: State;
let encounter = `sandbox-encounter-${String(Date.now())}`;

function patientId(): string {
  return byId<HTMLSelectElement>('patient').value;
}

function renderPatients(p: Patients): void {
  const select = byId<HTMLSelectElement>('patient');
  select.replaceChildren();
  const panel = h('optgroup', { label: 'Synthetic panel (examples/patients)' });
  for (const x of p.panel) panel.append(h('option', { value: x.id }, `${x.id} — ${x.title}`));
  select.append(panel);
  if (p.others.length > 0) {
    const others = h('optgroup', { label: 'Other patients on the FHIR server' });
    for (const x of p.others) others.append(h('option', { value: x.id }, `${x.id} — ${x.label}`));
    select.append(others);
  }
  showExpectation();
}

function showExpectation(): void {
  const pre = byId('expectation').querySelector('pre');
  const p = state.patients.panel.find((x) => x.id === patientId());
  if (pre !== null)
    pre.textContent =
      p === undefined ? 'Not a panel patient: no expectation.' : JSON.stringify(p.expect, null, 2);
}

function markdown(text: string): HTMLElement {
  const div = h('div', { class: 'detail' });
  div.innerHTML = DOMPurify.sanitize(marked.parse(text, { async: false }));
  return div;
}

function feedbackLine(card: HTMLElement, text: string): HTMLElement {
  const p = h('p', { class: 'feedback', role: 'status' }, text);
  card.append(p);
  return p;
}

function renderCard(serviceId: string, c: Card): HTMLElement {
  const el = h(
    'article',
    { class: 'card', 'data-indicator': c.indicator, 'data-card-uuid': c.uuid, 'data-service': serviceId },
    h('p', {}, h('span', { class: 'indicator' }, c.indicator), h('span', { class: 'summary' }, c.summary)),
    h('p', { class: 'service' }, `from ${serviceId}`),
  );
  if (c.detail !== undefined) el.append(markdown(c.detail));
  el.append(
    h(
      'p',
      { class: 'source' },
      'Source: ',
      c.source.url === undefined
        ? c.source.label
        : h('a', { href: c.source.url, target: '_blank', rel: 'noopener' }, c.source.label),
    ),
  );
  const suggestions = c.suggestions ?? [];
  if (suggestions.length > 0) {
    const behaviour = c.selectionBehavior ?? 'any';
    el.append(h('p', { class: 'selection-behavior' }, `Suggestions (selectionBehavior: ${behaviour})`));
    const buttons: HTMLButtonElement[] = [];
    for (const s of suggestions) {
      const b = h(
        'button',
        { type: 'button', class: 'accept' },
        `Accept: ${s.label}${s.isRecommended === true ? ' (recommended)' : ''}`,
      ) as HTMLButtonElement;
      buttons.push(b);
      b.addEventListener('click', () => {
        if (behaviour === 'at-most-one') for (const x of buttons) x.disabled = true;
        else b.disabled = true;
        el.append(
          h('p', {}, `FHIR actions the EHR applies for "${s.label}":`),
          h('pre', { class: 'actions' }, JSON.stringify(s.actions ?? [], null, 2)),
        );
        void sendFeedback(el, serviceId, {
          card: c.uuid,
          outcome: 'accepted',
          acceptedSuggestions: [{ id: s.uuid }],
        });
      });
      el.append(b);
    }
  }
  const reasons = c.overrideReasons ?? [];
  const select = h('select', {
    class: 'override-reason',
    'aria-label': 'Override reason',
  }) as HTMLSelectElement;
  for (const [i, r] of reasons.entries())
    select.append(h('option', { value: String(i) }, r.display ?? r.code));
  const override = h(
    'button',
    { type: 'button', class: 'override' },
    reasons.length > 0 ? 'Override with this reason' : 'Dismiss',
  );
  override.addEventListener('click', () => {
    const r = reasons[Number(select.value)];
    const reason =
      r === undefined ? undefined : { reason: r, userComment: 'overridden in the Augur sandbox' };
    void sendFeedback(el, serviceId, {
      card: c.uuid,
      outcome: 'overridden',
      ...(reason === undefined ? {} : { overrideReason: reason }),
    });
  });
  el.append(h('p', {}, ...(reasons.length > 0 ? [select, ' '] : []), override));
  for (const l of c.links ?? []) {
    if (l.type === 'smart') {
      const b = h('button', { type: 'button', class: 'smart-launch' }, `Launch: ${l.label}`);
      b.addEventListener('click', () => {
        void launch(el, l.url, l.appContext);
      });
      el.append(b);
    } else {
      el.append(h('a', { href: l.url, target: '_blank', rel: 'noopener' }, l.label), ' ');
    }
  }
  return el;
}

async function sendFeedback(
  card: HTMLElement,
  serviceId: string,
  body: Record<string, unknown>,
): Promise<void> {
  const x = await api<Exchange>('/sandbox/api/feedback', { serviceId, ...body });
  addExchange(x, `feedback ${String(body['outcome'])}`);
  const ok = x.response.status === 200;
  feedbackLine(
    card,
    `${String(body['outcome'])} — feedback ${ok ? 'stored' : 'refused'} (HTTP ${String(x.response.status)})`,
  ).dataset['feedback'] = ok ? String(body['outcome']) : 'error';
}

async function launch(card: HTMLElement, url: string, appContext: string | undefined): Promise<void> {
  const r = await api<{ url: string }>('/sandbox/api/launch', {
    url,
    patientId: patientId(),
    ...(appContext === undefined ? {} : { appContext }),
  });
  feedbackLine(card, 'SMART launch opened in a new tab (sign in as the sandbox user and Allow).');
  window.open(r.url, '_blank');
}

function addExchange(x: Exchange, title: string): void {
  const status = x.response.status;
  const d = h(
    'details',
    { class: 'exchange', 'data-status': String(status) },
    h(
      'summary',
      { class: status >= 400 ? 'status-error' : undefined },
      `${new Date().toLocaleTimeString()} ${title}: ${x.request.method} ${x.request.url} → ${String(status)}`,
    ),
  );
  const sent = h('div', {}, h('h3', {}, 'Sent'));
  sent.append(
    jsonView(x.request.jwt.header, 'JWT header', true),
    jsonView(x.request.jwt.claims, 'JWT claims', true),
  );
  if (x.request.prefetchSent !== undefined) {
    sent.append(
      h(
        'p',
        { class: 'prefetch-keys' },
        `Prefetch keys sent: ${x.request.prefetchSent.join(', ') || '(none)'}`,
      ),
    );
    for (const o of x.request.prefetchOmitted ?? [])
      sent.append(h('p', {}, `Prefetch key left out: ${o.key} (${o.why})`));
  }
  const body = x.request.body as { context?: unknown } | undefined;
  if (body?.context !== undefined) sent.append(jsonView(body.context, 'context', true));
  if (body !== undefined) sent.append(jsonView(body, 'request body'));
  const back = h(
    'div',
    {},
    h('h3', {}, 'Came back'),
    jsonView(x.response.body, `HTTP ${String(status)} body`),
  );
  if (x.response.trace !== undefined)
    back.append(h('div', { class: 'trace' }, jsonView(x.response.trace, 'augur-trace', true)));
  if (x.diagnosis !== undefined) {
    const box = h('div', { class: 'diagnosis' }, h('strong', {}, 'Why 401 (Augur /api/auth/diagnose): '));
    if ('unavailable' in x.diagnosis)
      box.append('diagnosis unavailable', h('div', {}, x.diagnosis.unavailable));
    else
      box.append(
        `accepted: ${String(x.diagnosis.accepted)}`,
        h('ul', {}, ...x.diagnosis.reasons.map((r) => h('li', {}, r))),
      );
    back.append(box);
  }
  d.append(sent, back);
  byId('inspector').prepend(d);
}

async function fire(hook: string): Promise<void> {
  const status = byId('fire-status');
  status.textContent = `Firing ${hook}…`;
  const drug = byId<HTMLSelectElement>('drug').value;
  try {
    const exchanges = await api<Exchange[]>('/sandbox/api/fire', {
      hook,
      patientId: patientId(),
      drugs: hook === 'patient-view' ? [] : [drug],
      prefetch: byId<HTMLInputElement>('prefetch').checked,
      encounterId: encounter,
    });
    const cards = byId('cards');
    cards.replaceChildren();
    let count = 0;
    for (const x of exchanges) {
      addExchange(x, `${hook} → ${x.service ?? ''}`);
      const list = (x.response.body as { cards?: Card[] } | undefined)?.cards ?? [];
      if (x.response.status !== 200)
        cards.append(
          h(
            'p',
            { class: 'status-error' },
            `${x.service ?? ''}: HTTP ${String(x.response.status)} (see the inspector)`,
          ),
        );
      for (const c of list) {
        cards.append(renderCard(x.service ?? '', c));
        count++;
      }
    }
    if (count === 0)
      cards.append(
        h('p', { class: 'silent' }, 'No cards: Augur stayed silent (see the inspector and the trace).'),
      );
    status.textContent = `${hook}: ${String(count)} card(s) from ${String(exchanges.length)} service(s).`;
    document.documentElement.dataset['fired'] = String(
      Number(document.documentElement.dataset['fired'] ?? '0') + 1,
    );
  } catch (err) {
    status.textContent = `${hook} failed: ${(err as Error).message}`;
  }
}

async function reset(): Promise<void> {
  const x = await api<Exchange>('/sandbox/api/reset', { patientId: patientId() });
  addExchange(x, 'card-history reset');
  const b = x.response.body as { deleted?: { cards: number; feedback: number } };
  byId('reset-status').textContent =
    x.response.status === 200
      ? `Card history reset for Patient/${patientId()}: ${String(b.deleted?.cards ?? 0)} card(s), ${String(b.deleted?.feedback ?? 0)} feedback record(s) removed (audited).`
      : `Reset refused: HTTP ${String(x.response.status)}`;
}

async function start(): Promise<void> {
  state = await api<State>('/sandbox/api/state');
  const urls = byId('urls');
  for (const [k, v] of Object.entries(state.urls))
    urls.append(h('a', { href: v, target: '_blank', rel: 'noopener' }, k), ' ');
  renderPatients(state.patients);
  const drug = byId<HTMLSelectElement>('drug');
  for (const group of ['cpic', 'common'] as const) {
    const g = h('optgroup', { label: group === 'cpic' ? 'CPIC tables' : 'Common others' });
    for (const d of state.drugs.filter((x) => x.group === group))
      g.append(h('option', { value: d.code }, `${d.display} (RxNorm ${d.code})`));
    drug.append(g);
  }
  byId('encounter').textContent = `Encounter/${encounter}`;
  byId('patient').addEventListener('change', showExpectation);
  byId('fire-patient-view').addEventListener('click', () => void fire('patient-view'));
  byId('fire-order-select').addEventListener('click', () => void fire('order-select'));
  byId('fire-order-sign').addEventListener('click', () => void fire('order-sign'));
  byId('reset-history').addEventListener('click', () => void reset());
  byId('new-encounter').addEventListener('click', () => {
    encounter = `sandbox-encounter-${String(Date.now())}`;
    byId('encounter').textContent = `Encounter/${encounter}`;
  });
  document.documentElement.dataset['ready'] = 'true';
}

void start();
