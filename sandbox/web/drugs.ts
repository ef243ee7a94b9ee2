/**
 * The drugs the simulator can order, RxNorm-coded: every drug of the CPIC tables (cards/pgx/drugs.json:
 * ingredients, the products and the alternatives the cards suggest) and the common others the synthetic
 * panel's charts hold (examples/patients), so order-select shows both PGx cards and silence.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';

export interface Drug {
  code: string;
  display: string;
  /** Why it is in the list: `cpic` (CPIC tables) or `common`. */
  group: 'cpic' | 'common';
}

/** RxNorm codes and names as the panel's generator writes them (tools/panel, examples/patients). */
const COMMON: readonly Omit<Drug, 'group'>[] = [
  { code: '197361', display: 'amlodipine 5 MG Oral Tablet' },
  { code: '1364445', display: 'apixaban 5 MG Oral Tablet' },
  { code: '617311', display: 'atorvastatin 40 MG Oral Tablet' },
  { code: '197806', display: 'ibuprofen 600 MG Oral Tablet' },
  { code: '314077', display: 'lisinopril 20 MG Oral Tablet' },
  { code: '979492', display: 'losartan potassium 50 MG Oral Tablet' },
  { code: '861007', display: 'metformin hydrochloride 500 MG Oral Tablet' },
  { code: '855332', display: 'warfarin sodium 5 MG Oral Tablet' },
];

interface PgxDrugs {
  drugs: { name: string; ingredient: string }[];
  products: { code: string; display: string }[];
  alternatives: { code: string; display: string }[];
}

export function drugList(root: string): Drug[] {
  const pgx = JSON.parse(readFileSync(join(root, 'cards', 'pgx', 'drugs.json'), 'utf8')) as PgxDrugs;
  const out = new Map<string, Drug>();
  for (const d of pgx.drugs) out.set(d.ingredient, { code: d.ingredient, display: d.name, group: 'cpic' });
  for (const p of [...pgx.products, ...pgx.alternatives])
    out.set(p.code, { code: p.code, display: p.display, group: 'cpic' });
  for (const c of COMMON) if (!out.has(c.code)) out.set(c.code, { ...c, group: 'common' });
  return [...out.values()].sort(
    (a, b) => a.group.localeCompare(b.group) || a.display.localeCompare(b.display),
  );
}
