import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { HttpError, operationOutcome } from './errors.js';
import { AuthError } from '../auth/types.js';
import { errorFields } from '../log/logger.js';

const INTERNAL = operationOutcome([{ code: 'exception', diagnostics: 'Internal error' }]);

/**
 * The one error handler: typed errors become their status and OperationOutcome; anything else is a
 * generic 500 with no message and no stack (the details go to the log, which has no PHI by allowlist).
 */
export function errorHandler(log: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const reqLog = (res.locals['log'] as Logger | undefined) ?? log;
    if (err instanceof HttpError) {
      if (err instanceof AuthError) reqLog.info({ reason: err.reason }, 'authentication failed');
      else if (err.status >= 500) reqLog.error(errorFields(err), 'request failed');
      // 4xx messages can quote request fields; log the status and issue code only.
      else
        reqLog.info({ status: err.status, code: err.outcome.issue[0]?.code ?? 'unknown' }, 'request refused');
      if (res.headersSent) return void res.end();
      for (const [k, v] of Object.entries(err.headers)) res.setHeader(k, v);
      res.status(err.status).type('application/fhir+json').json(err.outcome);
      return;
    }
    // body-parser-style errors from express itself (e.g. a malformed URL) carry a status.
    const status = (err as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res
        .status(status)
        .type('application/fhir+json')
        .json(operationOutcome([{ code: 'invalid', diagnostics: 'Bad request' }]));
      return;
    }
    reqLog.error(
      { ...errorFields(err), route: req.route ? (req.route as { path: string }).path : 'unknown' },
      'unexpected error',
    );
    if (res.headersSent) return void res.end();
    res.status(500).type('application/fhir+json').json(INTERNAL);
  };
}
