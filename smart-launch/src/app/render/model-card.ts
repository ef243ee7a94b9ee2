/** The model card (FDA CDS criterion 4): use, users, population, method, data, validation, limitations, citations. */
import { h } from '../dom.js';
import type { ModelCard } from '../types.js';
import { sourceAttributesDetails } from './source-attributes.js';

function citation(c: ModelCard['citations'][number]): HTMLElement {
  const href = c.url ?? (c.doi === undefined ? undefined : `https://doi.org/${c.doi}`);
  return h(
    'li',
    {},
    c.text,
    href === undefined
      ? ''
      : [
          ' ',
          h(
            'a',
            { href, rel: 'noopener noreferrer', target: '_blank' },
            c.doi === undefined ? 'link' : `doi:${c.doi}`,
          ),
        ],
  );
}

export function modelCardDetails(model: ModelCard): HTMLDetailsElement {
  const row = (term: string, ...desc: (string | HTMLElement)[]): HTMLElement[] => [
    h('dt', {}, term),
    h('dd', {}, ...desc),
  ];
  const metrics = model.development.metrics.map((m) => `${m.name} ${String(m.value)} (${m.dataset})`);
  return h(
    'details',
    { class: 'model-card' },
    h('summary', {}, `About this model — ${model.name} v${model.version}`),
    h(
      'dl',
      {},
      row('Intended use', model.intendedUse),
      row('Intended users', model.intendedUsers),
      row('Population', model.population.description),
      row('Method', model.development.method),
      row('Development data', model.development.data),
      row('Validation', model.development.validation, metrics.length === 0 ? '' : ` ${metrics.join('; ')}.`),
      row('Explanation reference', model.explanation.referenceDescription),
    ),
    h('h4', {}, 'Limitations'),
    h(
      'ul',
      {},
      model.limitations.map((l) => h('li', {}, l)),
    ),
    h('h4', {}, 'Citations'),
    h('ul', { class: 'citations' }, model.citations.map(citation)),
    sourceAttributesDetails(model),
  );
}
