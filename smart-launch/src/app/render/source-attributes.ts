/** The collapsed HTI-1 source-attributes section of the model card (view model: ../source-attributes-view.ts). */
import { h } from '../dom.js';
import { sourceAttributesView } from '../source-attributes-view.js';
import type { ModelCard } from '../types.js';

/** A collapsed <details>, or an empty text node when the card carries no attributes. */
export function sourceAttributesDetails(model: ModelCard): Node {
  const view = sourceAttributesView(model.sourceAttributes);
  if (view === undefined) return document.createTextNode('');
  return h(
    'details',
    { class: 'source-attributes' },
    h('summary', {}, view.title),
    view.missingNote === '' ? '' : h('p', { class: 'flag', role: 'note' }, view.missingNote),
    view.groups.flatMap((g) => [
      h('h5', {}, g.group),
      h(
        'dl',
        {},
        g.rows.flatMap((r) => [
          h('dt', { title: `45 CFR 170.315(b)(11)(iv)${r.id}` }, r.label),
          h(
            'dd',
            { class: r.status },
            r.text,
            r.citations.flatMap((c): (HTMLElement | string)[] =>
              c.href === undefined
                ? [h('cite', {}, ` ${c.text}`)]
                : [' ', h('a', { href: c.href, rel: 'noopener noreferrer', target: '_blank' }, c.text)],
            ),
          ),
        ]),
      ),
    ]),
  );
}
