import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/log.js';
import { startServer, type RunningServer } from '../helpers/server.js';

const appId = '5f0c1a7e-1111-4222-8333-944444444444';
const password = 'Mot-De-Passe~Factice.QueLesJournauxNeDoiventPasVoir_1234';
const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = Math.floor(Date.now() / 1000);
/** A JWT that looks like the Bot Framework's but is signed by nobody. */
const forgedJwt = [
  base64url({ alg: 'RS256', typ: 'JWT', kid: 'cle-inventee' }),
  base64url({
    iss: 'https://api.botframework.com',
    aud: appId,
    exp: now + 3600,
    nbf: now - 60,
    serviceurl: 'x',
  }),
  Buffer.from('signature-inventee-TOKENMARK').toString('base64url'),
].join('.');
const unsignedJwt = [
  base64url({ alg: 'none', typ: 'JWT' }),
  base64url({ iss: 'https://api.botframework.com', aud: appId }),
  '',
].join('.');

const activity = () => ({
  type: 'message',
  id: randomUUID(),
  channelId: 'msteams',
  serviceUrl: 'http://127.0.0.1:9/',
  conversation: { id: `conv-${randomUUID()}` },
  from: { id: '29:attaquant', name: 'Attaquant' },
  recipient: { id: `28:${appId}`, name: 'Assistant' },
  text: 'diagnostic rapide',
  deliveryMode: 'expectReplies',
});

describe('Avec des identifiants d’application (mode Azure)', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({
      env: {
        MicrosoftAppId: appId,
        MicrosoftAppPassword: password,
        MicrosoftAppType: 'MultiTenant',
        LOG_LEVEL: 'trace',
      },
    });
  });
  afterAll(async () => {
    await server.stop();
  });

  const post = (authorization?: string) =>
    fetch(`${server.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify(activity()),
    });

  it('POST /api/messages sans jeton, ou avec un jeton qui n’en est pas un : 401, et le bot ne répond rien', async () => {
    for (const authorization of [
      undefined,
      'Bearer abc',
      'Bearer ',
      'Basic dXNlcjpwYXNz',
      `Bearer ${password}`,
    ]) {
      const response = await post(authorization);
      expect(response.status, String(authorization)).toBe(401);
      const body = await response.text();
      expect(body).not.toContain('activities');
      expect(JSON.parse(body)).toEqual({
        error: { code: 'unauthorized', message: 'Authentification Bot Framework requise ou invalide.' },
      });
    }
  });

  it('un JWT forgé n’est jamais accepté (401 ; 500 ici, hors ligne, faute de pouvoir lire les clés de Microsoft)', async () => {
    for (const token of [forgedJwt, unsignedJwt]) {
      const response = await post(`Bearer ${token}`);
      expect([401, 500]).toContain(response.status);
      const body = await response.text();
      expect(body).not.toContain('activities');
      // French, in the project's error format, never botbuilder's English message or a stack trace
      expect((JSON.parse(body) as { error: { message: string } }).error.message).toMatch(
        /^(Authentification Bot Framework requise ou invalide|Le message n’a pas pu être traité)/,
      );
    }
  });

  it('ni le mot de passe ni les jetons reçus n’apparaissent dans les journaux (niveau trace)', async () => {
    await post(`Bearer ${forgedJwt}`);
    await post(`Bearer ${password}`);
    const output = server.output();
    expect(output).toContain('assistant listening');
    expect(output).not.toContain(password);
    expect(output).not.toContain(forgedJwt);
    expect(output).not.toContain('TOKENMARK');
    expect(output).not.toContain(forgedJwt.split('.')[1]!);
  });
});

describe('Les journaux et les messages de configuration ne répètent jamais un secret', () => {
  it('la redaction de pino masque secrets, jetons et textes des personnes', () => {
    const lines: string[] = [];
    const logger = createLogger(
      'trace',
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
    );
    logger.info(
      {
        config: {
          MicrosoftAppPassword: password,
          DIRECT_LINE_SECRET: 'DLSECRET-1',
          BLOB_CONNECTION_STRING: 'AccountKey=BLOBKEY',
        },
      },
      'config',
    );
    logger.info({ MicrosoftAppPassword: password, DIRECT_LINE_SECRET: 'DLSECRET-2' }, 'flat');
    logger.info({ req: { headers: { authorization: `Bearer ${forgedJwt}` } } }, 'request');
    logger.info(
      { headers: { authorization: 'Bearer AUTHMARK' }, token: 'TOKEN-3', reply: { token: 'TOKEN-4' } },
      'token',
    );
    logger.info(
      {
        activity: { text: 'TEXTE-PRIVE', value: { name: 'VALEUR-PRIVEE' }, from: { name: 'Jeanne Dupont' } },
      },
      'activity',
    );
    const written = lines.join('');
    for (const secret of [
      password,
      'DLSECRET',
      'BLOBKEY',
      forgedJwt,
      'AUTHMARK',
      'TOKEN-3',
      'TOKEN-4',
      'TEXTE-PRIVE',
      'VALEUR-PRIVEE',
      'Jeanne Dupont',
    ]) {
      expect(written, secret).not.toContain(secret);
    }
    expect(written).toContain('[redacted]');
  });

  it('une configuration invalide nomme la variable sans en répéter la valeur secrète', () => {
    let error: unknown;
    try {
      loadConfig({
        MicrosoftAppId: appId,
        MicrosoftAppPassword: password,
        MicrosoftAppType: 'Pirate',
        STORAGE: 'blob',
        BLOB_CONNECTION_STRING: 'AccountKey=BLOBKEY',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('MicrosoftAppType');
    expect((error as Error).message).not.toContain(password);
    expect((error as Error).message).not.toContain('BLOBKEY');
  });
});
