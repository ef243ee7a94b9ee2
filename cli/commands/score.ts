/**
 * `augur score --input <folder of NDJSON> --out <folder> [--resume] [--workers N]` — population risk
 * scoring over FHIR Bulk Data files (src/population; cli/score/score-folder.ts does the run).
 */
import type { Command } from 'commander';
import { CliError } from '../errors.js';
import { scoreFolder } from '../score/score-folder.js';

interface ScoreCliOptions {
  input?: string;
  out: string;
  resume?: boolean;
  workers?: string;
  config?: string;
  bucketMb?: string;
  asOf?: string;
}

function positive(name: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min)
    throw new CliError(`${name}: "${value}" is not a number ≥ ${String(min)}`, 2);
  return n;
}

export function register(program: Command): void {
  program
    .command('score')
    .description(
      'Score a population from FHIR Bulk Data NDJSON files: RiskAssessments, a care-gap worklist, a summary and a report',
    )
    .option('--input <folder>', 'folder of Bulk Data NDJSON files (Patient.ndjson, Observation.ndjson, …)')
    .requiredOption(
      '--out <folder>',
      'where risk-assessments.ndjson, worklist.csv/.ndjson, summary.json, report.html go',
    )
    .option('--resume', 'continue an interrupted run in --out (nobody is scored twice)')
    .option('--workers <n>', 'worker threads (default: one per core; 0 scores in the main thread)')
    .option('--config <file>', 'the site configuration file (default: AUGUR_CONFIG)')
    .option('--bucket-mb <n>', 'NDJSON megabytes grouped in memory at once (default 64)')
    .option('--as-of <date>', 'score as of this day (YYYY-MM-DD, 12:00 UTC; default: now)')
    .action(async (o: ScoreCliOptions) => {
      if (o.input === undefined) throw new CliError('--input <folder> is required', 2);
      let now: Date | undefined;
      if (o.asOf !== undefined) {
        now = /^\d{4}-\d{2}-\d{2}$/.test(o.asOf) ? new Date(`${o.asOf}T12:00:00Z`) : new Date(NaN);
        if (Number.isNaN(now.getTime()))
          throw new CliError(`--as-of: "${o.asOf}" is not a date (YYYY-MM-DD)`, 2);
      }
      await scoreFolder({
        input: o.input,
        out: o.out,
        ...(o.resume === true ? { resume: true } : {}),
        ...(o.workers === undefined ? {} : { workers: positive('--workers', o.workers, 0) }),
        ...(o.config === undefined ? {} : { config: o.config }),
        ...(o.bucketMb === undefined ? {} : { bucketMb: positive('--bucket-mb', o.bucketMb, 0.001) }),
        ...(now === undefined ? {} : { now }),
      });
    });
}
