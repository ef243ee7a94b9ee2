/** Loads and validates cards/pgx/*.json at start-up (errors name the file and field), then compiles them. */
import { join } from 'node:path';
import { cardsDir, loadCardFile } from '../../cards/data.js';
import { BindingsFile, CardsFile, DrugsFile, GenesFile, GuidelinesFile } from '../../pgx/schema.js';
import { compileTables, type PgxTables } from '../../pgx/tables.js';

export function loadPgxTables(dir: string = join(cardsDir(), 'pgx')): PgxTables {
  return compileTables({
    genes: loadCardFile(join(dir, 'genes.json'), GenesFile),
    guidelines: loadCardFile(join(dir, 'guidelines.json'), GuidelinesFile),
    drugs: loadCardFile(join(dir, 'drugs.json'), DrugsFile),
    bindings: loadCardFile(join(dir, 'bindings.json'), BindingsFile),
    cards: loadCardFile(join(dir, 'cards.json'), CardsFile),
  });
}
