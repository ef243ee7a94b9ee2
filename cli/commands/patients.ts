/**
 * `augur patients load --fhir <base> [--token <bearer>] [--dir examples/patients]` — loads the synthetic
 * patient panel into any FHIR R4 server (cli/patients/load.ts does the work; the sandbox calls it too).
 * Progress: a cli-progress bar on a terminal, one plain line per patient otherwise (CI logs, pipes).
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { Presets, SingleBar } from 'cli-progress';
import { PanelLoadError } from '../patients/errors.js';
import { defaultPanelDir, loadPanel, type LoadMode, type LoadProgress } from '../patients/load.js';
import { CliError } from '../errors.js';

interface LoadCliOptions {
  fhir: string;
  token?: string;
  dir?: string;
  asOf?: string;
  patient?: string[];
  mode?: LoadMode;
}

function parseDay(value: string): Date {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00Z`) : undefined;
  if (day === undefined || Number.isNaN(day.getTime()))
    throw new CliError(`--as-of: "${value}" is not a date (YYYY-MM-DD)`, 2);
  return day;
}

/** Progress on a terminal (a bar on stderr) or as plain lines on stdout. */
function progressReporter(tty: boolean): { onProgress: (p: LoadProgress) => void; stop: () => void } {
  const write = (line: string): void => {
    process.stdout.write(`${line}\n`);
  };
  if (!tty) {
    return {
      onProgress: (p) => {
        if (p.kind === 'start')
          write(`loading ${String(p.total)} patients (${p.mode}), dates shifted ${String(p.shiftDays)} days`);
        else if (p.kind === 'fallback')
          write(`no transactions on this server (${p.reason}): loading resource by resource`);
        else
          write(
            `[${String(p.done)}/${String(p.total)}] ${p.patientId}: ${String(p.resources)} resources (${p.mode})`,
          );
      },
      stop: () => undefined,
    };
  }
  const bar = new SingleBar(
    {
      format: 'loading {bar} {value}/{total} patients | {patient}',
      stream: process.stderr,
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  return {
    onProgress: (p) => {
      if (p.kind === 'start') bar.start(p.total, 0, { patient: '' });
      else if (p.kind === 'fallback') bar.update({ patient: 'no transactions: resource by resource' });
      else bar.update(p.done, { patient: p.patientId });
    },
    stop: () => {
      bar.stop();
    },
  };
}

async function load(o: LoadCliOptions): Promise<void> {
  const progress = progressReporter(process.stderr.isTTY);
  try {
    const s = await loadPanel({
      fhir: o.fhir,
      ...(o.token === undefined ? {} : { token: o.token }),
      ...(o.dir === undefined ? {} : { dir: o.dir }),
      ...(o.asOf === undefined ? {} : { asOf: parseDay(o.asOf) }),
      ...(o.patient === undefined ? {} : { patients: o.patient }),
      ...(o.mode === undefined ? {} : { mode: o.mode }),
      onProgress: progress.onProgress,
    });
    progress.stop();
    const how =
      s.mode === 'transaction'
        ? 'one transaction per patient'
        : `resource by resource (PUT)${s.fallbackReason === undefined ? '' : `: ${s.fallbackReason}`}`;
    process.stdout.write(
      `loaded ${String(s.patients)} patients, ${String(s.resources)} resources into ${s.server}, ${how}; dates as of ${s.loadedAs} (panel as of ${s.asOf}, shifted ${String(s.shiftDays)} days)\n`,
    );
  } catch (err) {
    progress.stop();
    if (err instanceof PanelLoadError) throw new CliError(err.message);
    throw err;
  }
}

export function register(program: Command): void {
  const patients = program.command('patients').description('the synthetic patient panel (examples/patients)');
  patients
    .command('load')
    .description(
      'load the panel into a FHIR R4 server: one transaction per patient (per-resource PUT where the server has no transactions), stable ids so loading twice changes nothing, dates shifted so the panel is current',
    )
    .requiredOption('--fhir <base>', 'FHIR base URL, e.g. http://127.0.0.1:8103/fhir')
    .option('--token <bearer>', 'bearer token for the FHIR server (sent only to it)')
    .option('--dir <dir>', 'panel directory', defaultPanelDir())
    .option('--as-of <YYYY-MM-DD>', 'the day the panel is made current for (default: today)')
    .option('--patient <id...>', 'only these patients (ids from index.json)')
    .addOption(
      new Option('--mode <mode>', 'force transactions or per-resource PUT').choices(['transaction', 'put']),
    )
    .action(load);
}
