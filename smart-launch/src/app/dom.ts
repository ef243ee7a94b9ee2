/**
 * A tiny DOM builder. Text always goes in as text nodes (FHIR data is untrusted: never innerHTML).
 * No `style` or `on*` attributes: the Content-Security-Policy forbids inline styles and handlers.
 */
export type Child = Node | string | number | null | undefined | false;
export type Attrs = Readonly<Record<string, string | number | boolean | undefined>>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Child | readonly Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === 'style' || name.startsWith('on')) throw new Error(`attribute "${name}" is not allowed`);
    if (value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: readonly (Child | readonly Child[])[]): void {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(
      typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c,
    );
  }
}

/** Replace the children of `el`. */
export function replaceChildren(el: Element, ...children: (Child | readonly Child[])[]): void {
  el.replaceChildren();
  append(el, children);
}

let nextId = 0;
/** A document-unique id for aria-describedby / label pairs. */
export const uid = (prefix: string): string => `${prefix}-${String(++nextId)}`;

/** Text for screen readers only (the CSS class hides it visually). */
export const srOnly = (...children: Child[]): HTMLSpanElement =>
  h('span', { class: 'visually-hidden' }, ...children);
