import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { brotliCompressSync, createGzip, deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotClient } from '../helpers/botClient.js';
import { startServer, type RunningServer } from '../helpers/server.js';
import { logLines } from '../reliability/records.js';
import { rawRequest, rawUpgrade, type RawResponse } from './rawHttp.js';

/** `size` bytes of zeros, gzipped: about 1 000 times smaller. */
function gzipBomb(size: number): Promise<Buffer> {
  return new Promise((resolve) => {
    const gzip = createGzip({ level: 9 });
    const chunks: Buffer[] = [];
    gzip.on('data', (chunk: Buffer) => chunks.push(chunk));
    gzip.on('end', () => resolve(Buffer.concat(chunks)));
    const zeros = Buffer.alloc(1 << 20);
    for (let written = 0; written < size; written += zeros.length) gzip.write(zeros);
    gzip.end();
  });
}

interface Broken {
  name: string;
  headers: Record<string, string>;
  body?: Buffer | string;
  /** The status every route must answer; otherwise anything below 500. */
  status?: number;
}

const json = JSON.stringify({ type: 'message', text: 'menu' });

/** What a client may read in an error: French, in the project's format, nothing internal. */
function expectNothingInternal(response: RawResponse, context: string): void {
  expect(response.status, `${context}: ${response.body.slice(0, 200)}`).toBeLessThan(500);
  if (response.status < 400) return;
  expect(response.body.slice(0, 2000), context).not.toMatch(
    /\bat .+:\d+|Error:|stack|undefined|InternalError|restify/,
  );
  if (String(response.headers['content-type']).startsWith('application/json') && response.body !== '') {
    const message = (JSON.parse(response.body) as { error?: { message?: unknown } }).error?.message;
    expect(message, context).toMatch(/[éèàêçùâîôû’]|\b(?:de|du|des|la|le|les|pas|est|une?|trop)\b/);
    expect(message, context).not.toMatch(
      /\b(?:the|is|not|error|invalid|request|body|content|supported|exceeds|found|allowed)\b/i,
    );
  }
}

describe('Règle : le processus ne meurt d’aucune requête, sur aucune adresse', () => {
  let server: RunningServer;
  let routes: { method: string; path: string }[];
  let broken: Broken[];

  beforeAll(async () => {
    server = await startServer({ env: { LOG_LEVEL: 'debug' } });
    const listed = logLines(server.output()).find((line) => line.msg === 'http: routes')?.routes as
      string[] | undefined;
    routes = (listed ?? []).map((route) => {
      const [method, path] = route.split(' ') as [string, string];
      return { method, path: path.replace(/:\w+/g, 'inconnu') };
    });
    const bomb = await gzipBomb(240 * 2 ** 20);
    expect(bomb.length).toBeLessThan(256 * 1024);
    broken = [
      {
        name: 'gzip invalide',
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: 'notgzip',
        status: 415,
      },
      {
        name: 'bombe gzip (240 Mo décompressés)',
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: bomb,
        status: 415,
      },
      {
        name: 'deflate valide',
        headers: { 'content-type': 'application/json', 'content-encoding': 'deflate' },
        body: deflateSync(json),
        status: 415,
      },
      {
        name: 'brotli valide',
        headers: { 'content-type': 'application/json', 'content-encoding': 'br' },
        body: brotliCompressSync(json),
        status: 415,
      },
      {
        name: 'gzip, gzip',
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip, gzip' },
        body: 'x',
        status: 415,
      },
      {
        name: 'JSON mal formé',
        headers: { 'content-type': 'application/json' },
        body: '{"type": "message", ',
      },
      { name: 'JSON nul', headers: { 'content-type': 'application/json' }, body: '\u0000' },
      {
        name: 'corps de 300 Ko',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'x'.repeat(300 * 1024) }),
        status: 413,
      },
      {
        name: 'corps de 300 Ko sans longueur annoncée',
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        body: JSON.stringify({ text: 'x'.repeat(300 * 1024) }),
      },
      { name: 'texte brut', headers: { 'content-type': 'text/plain' }, body: json, status: 415 },
      {
        name: 'envoi de fichier (multipart)',
        headers: { 'content-type': 'multipart/form-data; boundary=b' },
        body: `--b\r\nContent-Disposition: form-data; name="f"; filename="a.bin"\r\n\r\n${'x'.repeat(4096)}\r\n--b--\r\n`,
        status: 415,
      },
      {
        name: 'formulaire',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'a=1',
        status: 415,
      },
      { name: 'sans type', headers: {}, body: json, status: 415 },
    ];
  });
  afterAll(async () => {
    await server.stop();
  });

  it('la liste des adresses vient du routeur du serveur', () => {
    expect(routes.length).toBeGreaterThan(15);
    expect(routes).toContainEqual({ method: 'POST', path: '/api/messages' });
    expect(routes).toContainEqual({ method: 'GET', path: '/healthz' });
  });

  it(
    'chaque requête cassée, sur chaque adresse : une réponse en français sous 500, jamais de plantage',
    { timeout: 120_000 },
    async () => {
      for (const route of routes) {
        for (const request of broken) {
          const context = `${request.name} → ${route.method} ${route.path}`;
          const response = await rawRequest(`${server.url}${route.path}`, {
            method: route.method,
            headers: request.headers,
            body: request.body,
          });
          if (request.status) expect(response.status, context).toBe(request.status);
          expectNothingInternal(response, context);
        }
      }
      expect((await rawRequest(`${server.url}/healthz`)).status).toBe(200);
    },
  );

  it('méthodes inattendues sur chaque adresse : 4xx, jamais de plantage', async () => {
    const paths = [...new Set(routes.map((route) => route.path))];
    for (const path of paths) {
      for (const method of ['PROPFIND', 'TRACE', 'PURGE', 'OPTIONS', 'PATCH', 'DELETE', 'PUT', 'BREW']) {
        const response = await rawRequest(`${server.url}${path}`, { method }).catch((err: Error) => err);
        // Node's parser answers a method it does not know with 400 and closes the connection
        if (response instanceof Error) throw new Error(`${method} ${path}: ${response.message}`);
        expectNothingInternal(response, `${method} ${path}`);
      }
    }
  });

  it('une demande de WebSocket ailleurs que sur le flux Direct Line est refusée aussitôt, puis fermée', async () => {
    const paths = [...new Set(routes.map((route) => route.path)), '/', '/ws', '/socket.io/?EIO=4'];
    const answers = await Promise.all(paths.map((path) => rawUpgrade(server.port, path)));
    for (const [i, answer] of answers.entries()) {
      expect(answer, paths[i]).toEqual({ status: expect.any(Number) as number, closed: true });
      expect(answer.status, paths[i]).toBeGreaterThanOrEqual(400);
    }
    const stream = await rawUpgrade(server.port, '/v3/directline/conversations/inconnu/stream?t=faux');
    expect(stream).toEqual({ status: 403, closed: true });
  });

  it('200 demandes de WebSocket restées sans réponse avant : toutes fermées, et le serveur répond encore', async () => {
    const answers = await Promise.all(
      Array.from({ length: 200 }, () => rawUpgrade(server.port, '/nulle-part')),
    );
    expect(answers.filter((a) => a.status === 404 && a.closed)).toHaveLength(200);
    expect((await rawRequest(`${server.url}/healthz`)).status).toBe(200);
  });

  it('300 connexions muettes : les plus anciennes au-delà de 256 sont fermées, une vraie requête passe', async () => {
    const sockets: { socket: Socket; closed: boolean }[] = [];
    for (let i = 0; i < 300; i++) {
      const entry = { socket: connect(server.port, '127.0.0.1'), closed: false };
      entry.socket.on('error', () => undefined);
      entry.socket.resume();
      entry.socket.on('close', () => (entry.closed = true));
      await new Promise((resolve) => entry.socket.once('connect', resolve));
      sockets.push(entry);
    }
    await sleep(300);
    try {
      expect(sockets.slice(0, 44).every((s) => s.closed)).toBe(true);
      expect(sockets.slice(45).some((s) => s.closed)).toBe(false);
      expect((await rawRequest(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      for (const { socket } of sockets) socket.destroy();
    }
  });

  it(
    'une requête (ou une demande de WebSocket) qui n’envoie jamais la fin de ses en-têtes est coupée en 10 s',
    { timeout: 20_000 },
    async () => {
      const startedAt = Date.now();
      const closedAfter = (head: string) =>
        new Promise<number>((resolve) => {
          const socket = connect(server.port, '127.0.0.1', () => socket.write(head));
          socket.on('error', () => undefined);
          socket.resume();
          socket.on('close', () => resolve(Date.now() - startedAt));
        });
      const [upgrade, post] = await Promise.all([
        closedAfter('GET /v3/directline/conversations/c/stream?t=x HTTP/1.1\r\nUpgrade: websocket\r\n'),
        closedAfter('POST /api/messages HTTP/1.1\r\nContent-Type: application/json\r\n'),
      ]);
      for (const ms of [upgrade, post]) {
        expect(ms).toBeGreaterThanOrEqual(9_000);
        expect(ms).toBeLessThan(12_500);
      }
    },
  );

  it('après tout cela, un diagnostic rapide se fait jusqu’aux résultats sur le même serveur', async () => {
    const person = new BotClient(server.url);
    let reply = await person.say('diagnostic rapide');
    expect(reply.text).toContain('Question 1 / 13');
    for (let n = 1; n <= 13; n++) reply = await person.say(n % 3 ? 'oui' : 'en partie');
    expect(reply.text).toContain('Résultats');
    const failures = logLines(server.output()).filter((line) => (line.level as number) >= 50);
    expect(failures).toEqual([]);
  });
});
