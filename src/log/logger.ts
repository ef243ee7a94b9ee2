/**
 * Application logging with a field allowlist. Anything not listed here is dropped before it is
 * written, so a careless `log.info({ patient })` cannot leak PHI and a token can never ride along.
 * Log the route template, never the raw URL (FHIR query strings can hold PHI).
 */
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export const LOG_FIELDS = new Set([
  'reqId',
  'route',
  'method',
  'status',
  'durationMs',
  'serviceId',
  'hook',
  'hookInstance',
  'iss',
  'tenant',
  'reason',
  'code',
  'count',
  'host',
  'port',
  'modelId',
  'version',
  'fhirHost',
  'component',
  'errorType',
  'errorMessage',
  'setting',
  'file',
  /** node:cluster worker id (src/cluster). */
  'worker',
]);

function allowlisted(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (LOG_FIELDS.has(k) && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'))
      out[k] = v;
  }
  return out;
}

export interface LoggerSettings {
  level: LoggerOptions['level'];
  destination?: DestinationStream;
}

export function createLogger(settings: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level: settings.level ?? 'info',
    base: null,
    formatters: { log: allowlisted },
  };
  return settings.destination === undefined ? pino(options) : pino(options, settings.destination);
}

/** Fields for logging an error without its stack or attached data. */
export function errorFields(err: unknown): { errorType: string; errorMessage: string } {
  if (err instanceof Error) return { errorType: err.name, errorMessage: err.message.slice(0, 300) };
  return { errorType: typeof err, errorMessage: 'non-error thrown' };
}
