/** The CPIC tables (cards/pgx/*.json), bundled by Vite, validated and compiled as the server does (src/pgx). */
import bindings from '../../../cards/pgx/bindings.json';
import cards from '../../../cards/pgx/cards.json';
import drugs from '../../../cards/pgx/drugs.json';
import genes from '../../../cards/pgx/genes.json';
import guidelines from '../../../cards/pgx/guidelines.json';
import {
  BindingsFile,
  CardsFile,
  compileTables,
  DrugsFile,
  GenesFile,
  GuidelinesFile,
  type PgxTables,
} from '../../../src/pgx/index.js';

let tables: PgxTables | undefined;

/** Compiled on first use (zod validation of five files is not free; the PGx section is rendered once). */
export function pgxTables(): PgxTables {
  tables ??= compileTables({
    genes: GenesFile.parse(genes),
    guidelines: GuidelinesFile.parse(guidelines),
    drugs: DrugsFile.parse(drugs),
    bindings: BindingsFile.parse(bindings),
    cards: CardsFile.parse(cards),
  });
  return tables;
}
