// Baseline for `npm run bench`: a bare node:http server that reads and parses the same request body
// Augur receives and answers with one fixed card. No auth, no prefetch, no models: the floor.
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { Buffer } from 'node:buffer';
import process from 'node:process';

const card = {
  summary: '10-yr ASCVD risk 14.2 % — intermediate (PCE)',
  indicator: 'warning',
  source: { label: 'ACC/AHA 2018 cholesterol guideline' },
};

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (typeof body !== 'object' || body === null || typeof body.hook !== 'string') {
      res.writeHead(400).end();
      return;
    }
    const json = JSON.stringify({ cards: [{ uuid: randomUUID(), ...card }] });
    res.writeHead(200, { 'content-type': 'application/json' }).end(json);
  });
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
