/** What an input is called on screen: the card's label when the card data has one, else the manifest's. */
import { cardLabel } from './card-data.js';
import { CARD_DATA } from './card-data-files.js';
import { inputLabel } from './format.js';
import type { ModelCard } from './types.js';

export function labelOf(model: ModelCard, input: string): string {
  const spec = model.inputs.find((i) => i.name === input);
  return (
    cardLabel(CARD_DATA, model.id, input) ??
    (spec === undefined ? input.replace(/_/g, ' ') : inputLabel(spec))
  );
}
