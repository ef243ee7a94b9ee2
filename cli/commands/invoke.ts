/**
 * `augur invoke --fhir <base> --patient <id> [--hook …] [--draft <RxNorm code or file>] [--service <id>]
 * [--augur <url>] [--fhir-token <bearer>] [--no-prefetch] [--trace] [--json] [--key-dir <dir>]` — plays
 * the EHR against any FHIR server (cli/invoke/). Exit codes: 0 every call answered 200; 1 a call was
 * refused (401 with Augur's reasons, 4xx/5xx) or a server could not be reached or refused; 2 bad usage.
 */
import type { Command } from 'commander';
import { CliError } from '../errors.js';
import { startInProcessAugur } from '../invoke/in-process.js';
import {
  checkFhirPatient,
  checkPatient,
  checkUrl,
  draftsFrom,
  HOOKS,
  invoke,
  type Hook,
} from '../invoke/invoke.js';
import { defaultKeyDir, loadOrCreateKey } from '../keys/local-key.js';

interface Options {
  fhir: string;
  patient: string;
  hook: string;
  draft?: string;
  service?: string;
  augur?: string;
  fhirToken?: string;
  prefetch: boolean;
  trace?: boolean;
  json?: boolean;
  keyDir?: string;
}

export function register(program: Command): void {
  program
    .command('invoke')
    .description(
      'play the EHR: call Augur (running, or in-process) for a patient on any FHIR server and print the cards',
    )
    .requiredOption('--fhir <base>', 'FHIR R4 server base URL holding the patient')
    .requiredOption('--patient <id>', 'the patient id on that server')
    .option('--hook <hook>', `one of ${HOOKS.join(', ')}`, 'patient-view')
    .option('--draft <code|file>', 'order hooks: an RxNorm code, or a JSON MedicationRequest / Bundle file')
    .option('--service <id>', 'call only this service (default: every service of the hook)')
    .option('--augur <url>', 'a running Augur (its public base URL); default: start one in-process')
    .option(
      '--fhir-token <bearer>',
      'access token for the FHIR server (sent to it, and to Augur as fhirAuthorization)',
    )
    .option('--no-prefetch', 'send no prefetch: Augur fetches from the FHIR server itself')
    .option('--trace', 'ask for and print the trace (the client entry needs "trace": true)')
    .option('--json', 'print the raw CDS responses, keyed by service id')
    .option('--key-dir <dir>', `where augur keys keeps the key (default ${defaultKeyDir()})`)
    .action(async (o: Options) => {
      if (!(HOOKS as readonly string[]).includes(o.hook))
        throw new CliError(`--hook: "${o.hook}" is not one of ${HOOKS.join(', ')}`, 2);
      const hook = o.hook as Hook;
      const fhir = checkUrl(o.fhir, '--fhir');
      const patient = checkPatient(o.patient);
      const drafts = draftsFrom(o.draft, hook, patient);
      const augurUrl = o.augur === undefined ? undefined : checkUrl(o.augur, '--augur');
      if (o.service !== undefined && !/^[A-Za-z0-9._-]{1,64}$/.test(o.service))
        throw new CliError(`--service: "${o.service}" is not a service id`, 2);
      const key = await loadOrCreateKey(o.keyDir ?? defaultKeyDir());
      await checkFhirPatient(fhir, patient, o.fhirToken);
      const local = augurUrl === undefined ? await startInProcessAugur(key, fhir) : undefined;
      try {
        const code = await invoke({
          fhir,
          patient,
          hook,
          drafts,
          ...(o.service === undefined ? {} : { service: o.service }),
          augur: augurUrl ?? local?.baseUrl ?? '',
          ...(o.fhirToken === undefined ? {} : { fhirToken: o.fhirToken }),
          prefetch: o.prefetch,
          trace: o.trace === true,
          json: o.json === true,
          key,
          write: (s) => process.stdout.write(s),
        });
        if (code !== 0) throw new CliError('a call was refused (see above)');
      } finally {
        await local?.stop();
      }
    });
}
