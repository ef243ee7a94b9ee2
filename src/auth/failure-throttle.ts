import type { NextFunction, Request, Response } from 'express';
import { throttled, type RateLimiter } from './rate-limit.js';

const MAX_TRACKED = 10_000;

/**
 * Limits unauthenticated requests per client IP: each failed authentication is counted (in the shared
 * limiter, so replicas agree), and an IP over its budget is answered 429 *before* any JWT work until
 * its window ends. Authenticated EHR traffic is limited per issuer instead, so one busy EHR behind
 * one address is not throttled by another's junk.
 */
export class FailureThrottle {
  readonly #blockedUntil = new Map<string, number>();

  constructor(
    private readonly limiter: RateLimiter,
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Middleware: 429 with Retry-After while the IP is blocked. */
  readonly guard = (req: Request, _res: Response, next: NextFunction): void => {
    const until = this.#blockedUntil.get(req.ip ?? 'unknown');
    const now = this.now();
    if (until !== undefined && until > now) {
      next(throttled((until - now) / 1000));
      return;
    }
    next();
  };

  /** Counts one authentication failure from `ip`. */
  async failed(ip: string | undefined): Promise<void> {
    const key = ip ?? 'unknown';
    const d = await this.limiter.hit(`unauth:${key}`, this.perMinute);
    if (d.allowed) return;
    if (this.#blockedUntil.size >= MAX_TRACKED) this.#sweep();
    this.#blockedUntil.set(key, this.now() + d.retryAfterSeconds * 1000);
  }

  #sweep(): void {
    const now = this.now();
    for (const [k, until] of this.#blockedUntil) if (until <= now) this.#blockedUntil.delete(k);
    if (this.#blockedUntil.size >= MAX_TRACKED) this.#blockedUntil.clear();
  }
}
