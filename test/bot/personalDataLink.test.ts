import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotClient } from '../helpers/botClient.js';
import { startServer, type RunningServer } from '../helpers/server.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.stop());

describe('Règle : « mes données » donne un lien de téléchargement personnel, court et à usage unique (Teams compris)', () => {
  it('le lien donne tout en JSON une fois, puis une page française « lien expiré »', async () => {
    const person = new BotClient(server.url, undefined, undefined, 'msteams');
    await person.say('diagnostic rapide');
    await person.say('oui');
    await person.say('non');
    const reply = await person.say('mes données');
    expect(reply.activities.flatMap((a) => a.attachments ?? [])).toEqual([]);
    const link = /\((http:\/\/127\.0\.0\.1:\d+\/mes-donnees\/[A-Za-z0-9_-]{32})\)/.exec(reply.text)![1]!;

    const download = await fetch(link);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toContain('attachment');
    const data = (await download.json()) as { diagnostics: { answersGiven: unknown[] }[] };
    expect(data.diagnostics[0]!.answersGiven).toHaveLength(2);

    const again = await fetch(link);
    expect(again.status).toBe(404);
    expect(await again.text()).toContain('déjà servi ou a expiré');
    const forged = await fetch(`${server.url}/mes-donnees/${'A'.repeat(32)}`);
    expect(forged.status).toBe(404);
  });
});
