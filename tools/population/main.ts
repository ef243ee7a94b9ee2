/**
 * `npm run population -- --count 100000 --out <dir> [--files-per-type N] [--seed S]`: writes a synthetic
 * population as Bulk Data NDJSON (generate.ts) for `augur score --input <dir>` and the bench.
 */
import { parseArgs } from 'node:util';
import { writePopulation } from './generate.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '1000' },
    out: { type: 'string' },
    'files-per-type': { type: 'string', default: '1' },
    seed: { type: 'string', default: '14' },
  },
});
if (values.out === undefined) {
  process.stderr.write(
    'usage: npm run population -- --count N --out <dir> [--files-per-type N] [--seed S]\n',
  );
  process.exit(2);
}
const started = performance.now();
const written = await writePopulation({
  count: Number(values.count),
  out: values.out,
  filesPerType: Number(values['files-per-type']),
  seed: Number(values.seed),
});
process.stdout.write(
  `${String(written.patients)} patients, ${String(written.resources)} resources in ${String(written.files.length)} files → ${values.out} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`,
);
