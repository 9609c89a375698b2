import { readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Storage } from 'botbuilder';
import type { Server } from 'restify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { registerHealth } from '../../src/server/health.js';
import { createHttpServer } from '../../src/server/http.js';
import { readyKey, registerReady } from '../../src/server/ready.js';
import { createStorage } from '../../src/storage/createStorage.js';
import { LowdbStorage } from '../../src/storage/lowdbStorage.js';
import { startAzurite, type Azurite } from '../helpers/azurite.js';
import { useTempDirs } from '../storage/tempDir.js';

const newDir = useTempDirs('readyz');
const servers: Server[] = [];

/** A server with /healthz and /readyz on `storage`, and what it logged. */
async function serve(storage: Storage, kind: string, timeoutMs?: number) {
  const logged: Record<string, unknown>[] = [];
  const logger = createLogger(
    'info',
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        logged.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    }),
  );
  const server = createHttpServer(logger);
  registerHealth(server, () => ({ storage: kind }));
  registerReady(server, { storage, kind, logger, timeoutMs });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const get = async (path: string) => {
    const response = await fetch(`${url}${path}`);
    const text = await response.text();
    return { status: response.status, text, body: JSON.parse(text) as Record<string, unknown>, response };
  };
  return { get, logged };
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

const noTrace = (text: string) => {
  expect(text).not.toMatch(/\bat .*\(|node:internal|\.ts:\d+|Error:/);
};

describe('GET /readyz with lowdb', () => {
  it('answers 200 once it has written health/ready and read it back, overwriting the same file each time', async () => {
    const directory = join(await newDir(), 'state');
    const storage = new LowdbStorage(directory);
    const { get } = await serve(storage, 'lowdb');

    const first = await get('/readyz');
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ ok: true, storage: 'lowdb' });
    expect(first.response.headers.get('cache-control')).toBe('no-store');
    const stored = await readFile(storage.fileFor(readyKey), 'utf8');

    const second = await get('/readyz');
    expect(second.status).toBe(200);
    expect(await readFile(storage.fileFor(readyKey), 'utf8')).not.toBe(stored);
    expect((await storage.listKeys('')).map(({ key }) => key)).toEqual([readyKey]);
  });

  it('answers 503 with a French and English reason, and no stack trace, when the storage folder is gone', async () => {
    const directory = join(await newDir(), 'state');
    const storage = new LowdbStorage(directory);
    const { get, logged } = await serve(storage, 'lowdb');
    expect((await get('/readyz')).status).toBe(200);

    // the data volume disappears: where the folder was, a file
    await rm(directory, { recursive: true });
    await writeFile(directory, '');

    const failed = await get('/readyz');
    expect(failed.status).toBe(503);
    expect(failed.body).toEqual({
      ok: false,
      storage: 'lowdb',
      reason: 'le stockage ne peut pas être écrit ou relu / storage cannot be written or read back',
    });
    noTrace(failed.text);
    expect(logged.find((line) => line.msg === `readyz: ${failed.body.reason}`)).toMatchObject({
      level: 40,
      storage: 'lowdb',
      err: { code: 'ENOTDIR' },
    });
    // liveness does not depend on the storage
    expect((await get('/healthz')).status).toBe(200);
  });

  it('lets checks that arrive together share one write', async () => {
    const storage = new LowdbStorage(join(await newDir(), 'state'));
    const { get } = await serve(storage, 'lowdb');
    const answers = await Promise.all(Array.from({ length: 8 }, () => get('/readyz')));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
  });
});

describe('GET /readyz with Blob storage (Azurite)', () => {
  let azurite: Azurite | undefined;
  beforeAll(async () => {
    azurite = await startAzurite();
  });
  afterAll(async () => {
    await azurite?.stop();
  });

  it('answers 200 while Azurite runs, then 503 within its timeout once Azurite is stopped', async () => {
    const storage = await createStorage({
      STORAGE: 'blob',
      DATA_DIR: 'unused',
      BLOB_CONNECTION_STRING: azurite!.connectionString,
      BLOB_CONTAINER: 'readyz',
    });
    const { get } = await serve(storage, 'blob', 1_500);

    const ready = await get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ ok: true, storage: 'blob' });
    expect((await storage.read([readyKey]))[readyKey]).toMatchObject({ nonce: expect.any(String) });

    await azurite!.stop();
    azurite = undefined;
    const startedAt = Date.now();
    const failed = await get('/readyz');
    expect(Date.now() - startedAt).toBeLessThan(5_000);
    expect(failed.status).toBe(503);
    expect(failed.body.storage).toBe('blob');
    expect(failed.body.reason).toMatch(
      /^le stockage (n’a pas répondu en 1500 ms \/ storage did not answer within 1500 ms|ne peut pas être écrit ou relu \/ storage cannot be written or read back)$/,
    );
    noTrace(failed.text);
  });
});
