/**
 * `augur score --input <folder of NDJSON> --out <folder> [--resume] [--workers N]` — population risk
 * scoring over FHIR Bulk Data files (src/population; cli/score/score-folder.ts does the run).
 */
import type { Command } from 'commander';
import { CliError } from '../errors.js';
import { scoreFolder } from '../score/score-folder.js';
import { downloadExport } from '../score/from-fhir.js';
import { openQueuePool } from '../../src/population-queue/pool.js';

interface ScoreCliOptions {
  input?: string;
  out: string;
  resume?: boolean;
  workers?: string;
  config?: string;
  bucketMb?: string;
  asOf?: string;
  fhir?: string;
  group?: string;
  clientId?: string;
  key?: string;
  queue?: string;
  queuePrefix?: string;
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
    .option(
      '--fhir <base>',
      'export the population from this FHIR server (Bulk Data $export) instead of --input',
    )
    .option('--group <id>', 'with --fhir: export this Group (default: every patient, Patient/$export)')
    .option('--client-id <id>', 'with --fhir: SMART Backend Services client id (README: registering the key)')
    .option('--key <jwk-file>', 'with --client-id: the private JWK (RS384 or ES384) the client signs with')
    .option(
      '--queue <redis-url>',
      'score on `augur score-worker` processes over BullMQ, e.g. redis://127.0.0.1:6379/12',
    )
    .option('--queue-prefix <prefix>', 'BullMQ key prefix (the workers use the same)', 'augur')
    .action(async (o: ScoreCliOptions) => {
      if (o.fhir !== undefined && o.input !== undefined) throw new CliError('--input or --fhir, not both', 2);
      if (o.fhir === undefined && (o.group ?? o.clientId ?? o.key) !== undefined)
        throw new CliError('--group, --client-id and --key go with --fhir', 2);
      if (o.fhir !== undefined)
        o.input = await downloadExport(
          {
            fhirBase: o.fhir,
            ...(o.group === undefined ? {} : { group: o.group }),
            ...(o.clientId === undefined ? {} : { clientId: o.clientId }),
            ...(o.key === undefined ? {} : { keyFile: o.key }),
          },
          o.out,
        );
      if (o.input === undefined) throw new CliError('--input <folder> (or --fhir <base>) is required', 2);
      const queue = o.queue;
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
        ...(queue === undefined
          ? {}
          : { pool: () => openQueuePool({ url: queue, prefix: o.queuePrefix ?? 'augur' }) }),
      });
    });
}
