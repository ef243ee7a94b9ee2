/**
 * `npm run patients [-- --as-of YYYY-MM-DD] [--out <dir>]`: writes the synthetic patient panel —
 * `<out>/<patient>.json` transaction Bundles and `<out>/index.json` — formatted with Prettier so the
 * committed files pass `npm run lint`. Without --as-of it keeps the as-of date of the existing index (so
 * regenerating after a change in tools/panel/ touches only what changed), else PANEL_AS_OF.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '../../src/config/paths.js';
import { panelFiles, PANEL_AS_OF } from './files.js';

const { values } = parseArgs({
  options: { 'as-of': { type: 'string' }, out: { type: 'string' } },
});
const out = values.out ?? join(repoRoot(), 'examples', 'patients');
const indexPath = join(out, 'index.json');
const previous = existsSync(indexPath)
  ? (JSON.parse(readFileSync(indexPath, 'utf8')) as { asOf?: string }).asOf
  : undefined;
const asOf = values['as-of'] ?? previous ?? PANEL_AS_OF;

const files = await panelFiles(asOf);
mkdirSync(out, { recursive: true });
for (const name of readdirSync(out)) if (name.endsWith('.json') && !files.has(name)) rmSync(join(out, name));
for (const [name, text] of files) writeFileSync(join(out, name), text);
process.stdout.write(`${String(files.size - 1)} patients, as of ${asOf}, in ${out}\n`);
