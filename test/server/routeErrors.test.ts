import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { Next, Request, Response, Server } from 'restify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { createHttpServer } from '../../src/server/http.js';
import { rawRequest } from './rawHttp.js';

const secret = 'secret interne: /srv/app/db.json at foo.js:12';

describe('Règle : une erreur inattendue dans une route donne un 500 en français, journalisé avec son identifiant', () => {
  let server: Server;
  let url: string;
  const lines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    const logger = createLogger(
      'info',
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
          done();
        },
      }),
    );
    server = createHttpServer(logger);
    server.get('/leve', (_req: Request, _res: Response, _next: Next) => {
      throw new Error(secret);
    });
    server.get('/rejette', async () => {
      await Promise.resolve();
      throw new Error(secret);
    });
    server.get('/rejette-sans-erreur', async () => {
      await Promise.resolve();
      throw secret as unknown as Error;
    });
    server.get('/next', (_req: Request, _res: Response, next: Next) => next(new Error(secret)));
    server.get('/leve-une-chaine', (_req: Request, _res: Response, _next: Next) => {
      throw secret as unknown as Error;
    });
    server.get('/leve-apres-reponse', (_req: Request, res: Response, _next: Next) => {
      res.json({ ok: true });
      throw new Error(secret);
    });
    server.get('/leve-en-pleine-reponse', (_req: Request, res: Response, _next: Next) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '100' });
      res.write('début');
      throw new Error(secret);
    });
    server.get('/ok', (_req: Request, res: Response, next: Next) => {
      res.json({ ok: true });
      next();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it.each(['/leve', '/rejette', '/rejette-sans-erreur', '/next', '/leve-une-chaine'])(
    '%s : 500, message français, aucune trace, et le journal a le même identifiant de requête',
    async (path) => {
      const response = await rawRequest(`${url}${path}`);
      expect(response.status).toBe(500);
      expect(JSON.parse(response.body)).toEqual({
        error: { code: 500, message: 'Erreur interne du serveur. Réessayez dans un instant.' },
      });
      const requestId = response.headers['x-request-id'];
      expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
      const logged = lines.find((line) => line.reqId === requestId);
      expect(logged).toMatchObject({ level: 50, msg: 'http: request failed', method: 'GET', url: path });
      expect(response.body).not.toContain('secret');
    },
  );

  it('une route qui lève après avoir répondu : la réponse reste, l’erreur est journalisée', async () => {
    const response = await rawRequest(`${url}/leve-apres-reponse`);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ ok: true });
    expect(lines.some((line) => line.reqId === response.headers['x-request-id'])).toBe(true);
  });

  it('une route qui lève au milieu de sa réponse : la connexion est coupée, rien d’autre n’est envoyé', async () => {
    await expect(rawRequest(`${url}/leve-en-pleine-reponse`)).rejects.toThrow();
  });

  it('après toutes ces erreurs, le serveur répond, avec un identifiant de requête différent à chaque fois', async () => {
    const [a, b] = await Promise.all([rawRequest(`${url}/ok`), rawRequest(`${url}/ok`)]);
    expect(a!.status).toBe(200);
    expect(b!.status).toBe(200);
    expect(a!.headers['x-request-id']).not.toBe(b!.headers['x-request-id']);
  });
});
