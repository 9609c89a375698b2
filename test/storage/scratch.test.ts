import { test } from 'vitest';
import { createServer } from 'node:http';
import { BlobsStorage } from 'botbuilder-azure-blobs';
import { azuriteConnectionString } from '../helpers/azurite.js';

test('content-length', async () => {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      console.log(req.method, req.url, 'content-length', req.headers['content-length'], 'received', Buffer.concat(chunks).length, Buffer.concat(chunks).toString());
      res.writeHead(201, { etag: '"x"' });
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  const s = new BlobsStorage(azuriteConnectionString(port), 'scratch');
  try { await s.write({ k: { text: 'collectivité éé' } }); } catch (e) { console.log('err', (e as Error).message); }
  server.close();
});
