/**
 * Error and chooser pages built with DOM calls only (no innerHTML, no inline styles: the CSP forbids
 * them and text from a URL must never become markup).
 */
import type { AppIssuer } from '../../../src/smart/app-config.js';
import { markLaunch, toLaunchError, type LaunchError, type LaunchErrorKind } from './errors.js';
import './launch.css';

const GUIDANCE: Record<LaunchErrorKind, { title: string; action: string }> = {
  'unknown-issuer': {
    title: 'This EHR is not connected to Augur',
    action:
      'Augur only opens for the FHIR servers its administrator has allowed. Ask your Augur administrator to add this EHR (smartApp.issuers), then open Augur again from the chart.',
  },
  denied: {
    title: 'Access was not granted',
    action:
      "Augur needs permission to read this patient's record to explain the result. Open Augur again from the chart and allow access, or ask your EHR administrator.",
  },
  expired: {
    title: 'Your session has ended',
    action: "Open Augur again from the patient's chart in your EHR.",
  },
  unreachable: {
    title: 'The patient record server could not be reached',
    action:
      'Check your network connection and try again in a moment. If this keeps happening, contact your IT service desk.',
  },
  state: {
    title: 'Sign-in stopped for your safety',
    action: "Open Augur again from the patient's chart in your EHR. Do not reuse an old Augur link.",
  },
  other: {
    title: 'Augur could not start',
    action:
      "Open Augur again from the patient's chart. If this keeps happening, contact your IT service desk.",
  },
};

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  className?: string,
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (text !== undefined) el.textContent = text;
  if (className !== undefined) el.className = className;
  return el;
}

/** Replaces `root`'s content with a clear, actionable error page for any launch failure. */
export function renderLaunchError(root: HTMLElement, err: unknown): void {
  const e: LaunchError = toLaunchError(err);
  const guidance = GUIDANCE[e.kind];
  const section = element('section', undefined, 'launch-error');
  section.setAttribute('role', 'alert');
  section.dataset['kind'] = e.kind;
  section.append(
    element('h1', guidance.title),
    element('p', e.message, 'launch-error-detail'),
    element('p', guidance.action, 'launch-error-action'),
  );
  root.replaceChildren(section);
  document.title = `Augur — ${guidance.title}`;
}

/** A standalone launch with several allowed FHIR servers and no `?iss=`: let the person pick one. */
export function renderIssuerChooser(root: HTMLElement, issuers: readonly AppIssuer[], base: URL): void {
  const section = element('section', undefined, 'launch-chooser');
  const list = element('ul');
  for (const issuer of issuers) {
    const link = element('a', issuer.name);
    const href = new URL(base);
    href.search = '';
    href.searchParams.set('iss', issuer.iss);
    link.href = href.href;
    const item = element('li');
    item.append(link, element('span', ` ${new URL(issuer.iss).host}`, 'launch-chooser-host'));
    list.append(item);
  }
  section.append(element('h1', 'Choose your EHR'), list);
  root.replaceChildren(section);
  markLaunch('choose');
}
