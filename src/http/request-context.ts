import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';

/**
 * Gives each request an id and a child logger, and writes one access-log line when it finishes — with
 * the route template (`/cds-services/:id`), never the raw URL, whose query could hold PHI.
 */
export function requestContext(log: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const requestId = randomUUID();
    const reqLog = log.child({ reqId: requestId });
    res.locals['requestId'] = requestId;
    res.locals['log'] = reqLog;
    res.setHeader('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const route = (req.route as { path?: unknown } | undefined)?.path;
      reqLog.info(
        {
          method: req.method,
          route: `${req.baseUrl}${typeof route === 'string' ? route : '(unmatched)'}`,
          status: res.statusCode,
          durationMs: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
        },
        'request',
      );
    });
    next();
  };
}

/** Headers every answer carries: no sniffing, no caching of clinical answers, no referrer leakage. */
export function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  next();
}
