/**
 * `augur history reset --patient <id> [--service <id>]` — forget a patient's card history so a tester's
 * re-run shows the cards again (accepted cards, overridden ones, order-select → order-sign repeats).
 *
 * Two ways, chosen by the options:
 * - `--augur <base URL> --key <private JWK file> --iss <issuer>`: calls the running server's
 *   `DELETE /api/testing/card-history` with a JWT signed by that key (the issuer's trusted-client entry
 *   must say `"allowHistoryReset": true`). Works whatever store the server uses, and is audited there.
 * - otherwise, opens the store directly: PostgreSQL when `DATABASE_URL` (or `--database-url`) is set, else
 *   the embedded store in `AUGUR_DATA_DIR` (or `--data-dir`, default `./data`). Whoever can open the store
 *   already has all of it, so no key is needed; the reset is audited in the store like the endpoint's.
 *   The embedded store can be opened by one process at a time: stop Augur first, or use `--augur`.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { importJWK, SignJWT, type JWK } from 'jose';
import { openStore } from '../../src/store/index.js';
import { CliError } from '../errors.js';

const FHIR_ID = /^[A-Za-z0-9.-]{1,64}$/;
const PATH = '/api/testing/card-history';

interface ResetOptions {
  patient: string;
  service?: string;
  augur?: string;
  key?: string;
  iss?: string;
  dataDir?: string;
  databaseUrl?: string;
}

export interface ResetResult {
  patient: string;
  service?: string;
  deleted: { cards: number; feedback: number };
}

function checkId(value: string | undefined, name: string): void {
  if (value !== undefined && !FHIR_ID.test(value))
    throw new CliError(`--${name}: "${value}" is not a FHIR id ([A-Za-z0-9-.], 1–64 characters)`, 2);
}

/** A compact JWT for the testing endpoint, signed with the private JWK in `keyFile`. */
async function signFor(keyFile: string, iss: string, aud: string): Promise<string> {
  let jwk: JWK;
  try {
    jwk = JSON.parse(readFileSync(keyFile, 'utf8')) as JWK;
  } catch (err) {
    throw new CliError(`--key: cannot read a JSON Web Key from ${keyFile} (${(err as Error).message})`);
  }
  if (jwk.d === undefined)
    throw new CliError(`--key: ${keyFile} holds a public key; a private JWK is needed`);
  if (jwk.kid === undefined) throw new CliError(`--key: ${keyFile} has no "kid" (Augur requires one)`);
  const alg = jwk.alg ?? (jwk.kty === 'RSA' ? 'RS384' : 'ES384');
  const key = await importJWK(jwk, alg);
  return new SignJWT({})
    .setProtectedHeader({ alg, kid: jwk.kid, typ: 'JWT' })
    .setIssuer(iss)
    .setAudience(aud)
    .setIssuedAt()
    .setExpirationTime('5m')
    .setJti(randomUUID())
    .sign(key);
}

async function overHttp(o: ResetOptions & { augur: string }): Promise<ResetResult> {
  if (o.key === undefined || o.iss === undefined)
    throw new CliError('--augur needs --key <private JWK file> and --iss <issuer> to sign the call', 2);
  const base = o.augur.replace(/\/+$/, '');
  const url = new URL(`${base}${PATH}`);
  url.searchParams.set('patient', o.patient);
  if (o.service !== undefined) url.searchParams.set('service', o.service);
  const token = await signFor(o.key, o.iss, `${base}${PATH}`);
  let res: Response;
  try {
    res = await fetch(url, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
  } catch (err) {
    throw new CliError(`cannot reach Augur at ${base} (${(err as Error).message})`);
  }
  const body = (await res.json().catch(() => undefined)) as
    (ResetResult & { issue?: { diagnostics?: string }[] }) | undefined;
  if (!res.ok) {
    const why = body?.issue?.map((i) => i.diagnostics).join('; ') ?? res.statusText;
    throw new CliError(`Augur refused the reset: ${String(res.status)} ${why}`);
  }
  if (body === undefined) throw new CliError('Augur answered 200 without a JSON body');
  return body;
}

async function direct(o: ResetOptions): Promise<ResetResult> {
  const databaseUrl = o.databaseUrl ?? process.env['DATABASE_URL'];
  const dataDir = o.dataDir ?? process.env['AUGUR_DATA_DIR'] ?? './data';
  let store;
  try {
    store = await openStore({ dataDir, ...(databaseUrl === undefined ? {} : { databaseUrl }) });
  } catch (err) {
    throw new CliError(`cannot open the store (${(err as Error).message})`);
  }
  const patientRef = `Patient/${o.patient}`;
  try {
    const deleted = await store.resetCardHistory({
      patientRef,
      ...(o.service === undefined ? {} : { serviceId: o.service }),
    });
    await store.appendAudit({
      type: 'history-reset',
      action: 'D',
      outcome: '0',
      recorded: new Date(),
      requestId: `cli-${randomUUID()}`,
      iss: 'urn:augur:cli',
      patientRef,
      ...(o.service === undefined ? {} : { serviceId: o.service }),
      status: 200,
    });
    return { patient: patientRef, ...(o.service === undefined ? {} : { service: o.service }), deleted };
  } finally {
    await store.close();
  }
}

/** Resets the history as the options say; exported for tests. */
export async function resetHistory(o: ResetOptions): Promise<ResetResult> {
  checkId(o.patient, 'patient');
  checkId(o.service, 'service');
  return o.augur === undefined ? direct(o) : overHttp({ ...o, augur: o.augur });
}

export function register(program: Command): void {
  const history = program.command('history').description("a patient's card history (testing)");
  history
    .command('reset')
    .description(
      "forget a patient's cards and the feedback on them, so a re-run shows them again (testing only)",
    )
    .requiredOption('--patient <id>', 'the patient id (FHIR id)')
    .option('--service <id>', 'only this service (default: every service)')
    .option('--augur <url>', 'call a running Augur (its public base URL) instead of opening the store')
    .option('--key <file>', 'with --augur: private JWK (with kid) of a client allowed to reset')
    .option('--iss <issuer>', 'with --augur: that client’s issuer')
    .option('--data-dir <dir>', 'the embedded store (default: $AUGUR_DATA_DIR or ./data)')
    .option('--database-url <url>', 'PostgreSQL instead (default: $DATABASE_URL)')
    .action(async (o: ResetOptions) => {
      const r = await resetHistory(o);
      process.stdout.write(
        `${r.patient}${r.service === undefined ? '' : ` (${r.service})`}: ${String(r.deleted.cards)} card(s) and ${String(r.deleted.feedback)} feedback record(s) removed\n`,
      );
    });
}
