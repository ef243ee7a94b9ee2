/**
 * `augur score --fhir <base> [--group <id>] [--client-id <id> --key <jwk file>]`: the Bulk Data export
 * (src/bulk-data) into `<out>/bulk-export/`, with a plain progress line per step on stderr; the folder is
 * then scored like `--input`. Running the same command again resumes the export (same job, completed
 * files not fetched again).
 */
import { join } from 'node:path';
import { BulkDataError } from '../../src/bulk-data/errors.js';
import { exportPopulation, type FhirSource } from '../../src/bulk-data/source.js';
import { CliError } from '../errors.js';

export const EXPORT_DIR = 'bulk-export';

export async function downloadExport(src: FhirSource, out: string): Promise<string> {
  const dir = join(out, EXPORT_DIR);
  const say = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  try {
    const result = await exportPopulation(src, dir, {
      onProgress: (e) => {
        switch (e.step) {
          case 'kicked-off':
          case 'resumed-job':
            say(
              e.step === 'kicked-off'
                ? 'bulk export started'
                : 'bulk export: polling the job started earlier',
            );
            break;
          case 'waiting':
            say(`bulk export in progress${e.progress === undefined ? '' : ` (${e.progress})`}`);
            break;
          case 'manifest':
            say(`bulk export ready: ${String(e.files)} file(s), ${String(e.resources)} resources`);
            break;
          case 'file':
            say(`${e.skipped ? 'already downloaded' : 'downloaded'} ${e.file}`);
        }
      },
    });
    say(`bulk export downloaded to ${dir} (${String(result.files.length)} files)`);
    return dir;
  } catch (err) {
    if (err instanceof BulkDataError) throw new CliError(`bulk export: ${err.message}`);
    throw err;
  }
}
