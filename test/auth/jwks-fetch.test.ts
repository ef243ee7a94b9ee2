/** The default JWKS fetcher against real local servers: no redirects, a size cap, a deadline. */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createJwksFetcher, defaultFetchJwks } from '../../src/auth/jwks-fetch.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

async function serve(handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('JWKS fetcher', () => {
  it('returns the parsed document', async () => {
    const url = await serve((_req, res) => res.end('{"keys":[]}'));
    await expect(defaultFetchJwks(`${url}/jwks`)).resolves.toEqual({ keys: [] });
  });

  it('does not follow redirects', async () => {
    let followed = false;
    const url = await serve((req, res) => {
      if (req.url === '/elsewhere') followed = true;
      res.writeHead(302, { location: '/elsewhere' }).end();
    });
    await expect(defaultFetchJwks(`${url}/jwks`)).rejects.toThrow();
    expect(followed).toBe(false);
  });

  it('refuses a non-2xx answer', async () => {
    const url = await serve((_req, res) => res.writeHead(500).end('{"keys":[]}'));
    await expect(defaultFetchJwks(url)).rejects.toThrow(/500/);
  });

  it('refuses a body over the cap, declared or chunked', async () => {
    const big = JSON.stringify({ keys: [], pad: 'x'.repeat(300 * 1024) });
    const declared = await serve((_req, res) => res.end(big));
    await expect(defaultFetchJwks(declared)).rejects.toThrow(/too large/);
    const chunked = await serve((_req, res) => {
      for (let i = 0; i < big.length; i += 16 * 1024) res.write(big.slice(i, i + 16 * 1024));
      res.end();
    });
    await expect(defaultFetchJwks(chunked)).rejects.toThrow(/too large/);
  });

  it('gives up at its deadline when the endpoint hangs', async () => {
    const url = await serve(() => undefined);
    // The deadline's own error, not some other failure (no wall-clock assertion: CI machines are loaded).
    await expect(createJwksFetcher({ timeoutMs: 200 })(url)).rejects.toMatchObject({ name: 'TimeoutError' });
  });
});
