/** The panel as file name → text (Prettier-formatted JSON), exactly as `npm run patients` writes it. */
import { format } from 'prettier';
import { generatePanel } from './generate.js';

/** The as-of date of the committed panel (used when no index exists yet). */
export const PANEL_AS_OF = '2026-01-15';

const json = (value: unknown): Promise<string> =>
  format(JSON.stringify(value), { parser: 'json', printWidth: 110 });

export async function panelFiles(asOf: string): Promise<Map<string, string>> {
  const { index, bundles } = generatePanel(asOf);
  const files = new Map<string, string>();
  for (const [name, bundle] of bundles) files.set(name, await json(bundle));
  files.set('index.json', await json(index));
  return files;
}
