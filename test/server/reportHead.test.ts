import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotClient } from '../helpers/botClient.js';
import { startServer, type RunningServer } from '../helpers/server.js';
import { rawRequest } from './rawHttp.js';

describe('Règle : HEAD sur un rapport répond comme GET, sans le corps', () => {
  let server: RunningServer;
  let reportId: string;
  beforeAll(async () => {
    server = await startServer();
    const person = new BotClient(server.url);
    await person.say('diagnostic rapide');
    let reply = await person.say('oui');
    for (let n = 2; n <= 13; n++) reply = await person.say(n % 2 ? 'oui' : 'non');
    reportId = /\/rapports\/([A-Za-z0-9_-]{32})/.exec(JSON.stringify(reply.activities))?.[1] ?? '';
    expect(reportId).not.toBe('');
  });
  afterAll(async () => {
    await server.stop();
  });

  const paths = (id: string) => [
    `/rapports/${id}`,
    `/rapports/${id}/rapport.pdf`,
    `/rapports/${id}/reponses.csv`,
    `/rapports/${id}/rapport.json`,
    `/rapports/${id}/graphique.png`,
    `/rapports/${id}/graphique-carte.png`,
  ];
  const sameHeaders = (headers: Record<string, unknown>) => {
    const { date: _date, 'x-request-id': _id, ...rest } = headers;
    return rest;
  };

  it('un rapport existant : 200, les en-têtes de GET (longueur comprise), aucun corps', async () => {
    for (const path of paths(reportId)) {
      const get = await rawRequest(`${server.url}${path}`);
      const head = await rawRequest(`${server.url}${path}`, { method: 'HEAD' });
      expect(get.status, path).toBe(200);
      expect(head.status, path).toBe(200);
      expect(sameHeaders(head.headers), path).toEqual(sameHeaders(get.headers));
      expect(Number(head.headers['content-length']), path).toBeGreaterThan(0);
      expect(head.body, path).toBe('');
    }
  });

  it('un identifiant inconnu ou mal formé : 404, comme GET', async () => {
    for (const path of [...paths('A'.repeat(32)), ...paths('court')]) {
      const get = await rawRequest(`${server.url}${path}`);
      const head = await rawRequest(`${server.url}${path}`, { method: 'HEAD' });
      expect(get.status, path).toBe(404);
      expect(head.status, path).toBe(404);
      expect(sameHeaders(head.headers), path).toEqual(sameHeaders(get.headers));
      expect(head.body, path).toBe('');
    }
  });
});
