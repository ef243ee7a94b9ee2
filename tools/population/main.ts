/**
 * `npm run population -- --count 100000 --out <dir> [--files-per-type N] [--seed S] [--as-of YYYY-MM-DD]`:
 * writes a synthetic population as Bulk Data NDJSON (generate.ts) for `augur score --input <dir>`, its
 * dates made current for `--as-of` (default today, as `augur patients load` does), so what is stale
 * in it is what the panel made stale on purpose.
 */
import { parseArgs } from 'node:util';
import { writePopulation } from './generate.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '1000' },
    out: { type: 'string' },
    'files-per-type': { type: 'string', default: '1' },
    seed: { type: 'string', default: '14' },
    'as-of': { type: 'string', default: new Date().toISOString().slice(0, 10) },
  },
});
if (values.out === undefined) {
  process.stderr.write(
    'usage: npm run population -- --count N --out <dir> [--files-per-type N] [--seed S] [--as-of YYYY-MM-DD]\n',
  );
  process.exit(2);
}
if (!/^\d{4}-\d{2}-\d{2}$/.test(values['as-of']) || Number.isNaN(Date.parse(values['as-of']))) {
  process.stderr.write(`--as-of: "${values['as-of']}" is not a date (YYYY-MM-DD)\n`);
  process.exit(2);
}
const started = performance.now();
const written = await writePopulation({
  count: Number(values.count),
  out: values.out,
  filesPerType: Number(values['files-per-type']),
  seed: Number(values.seed),
  asOf: values['as-of'],
});
process.stdout.write(
  `${String(written.patients)} patients, ${String(written.resources)} resources in ${String(written.files.length)} files → ${values.out}, dates made current for ${values['as-of']} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`,
);
