/**
 * ioredis queues commands while it reconnects, so a Redis outage would otherwise stall a request for
 * as long as the retry policy allows. Every Redis call in auth goes through this bound instead, and the
 * caller fails closed when it rejects.
 */
export async function withTimeout<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`${what} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
