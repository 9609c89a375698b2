import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type Azurite } from '../helpers/azurite.js';
import { BotClient } from '../helpers/botClient.js';
import { startServer, type RunningServer } from '../helpers/server.js';

let server: RunningServer;
let azurite: Azurite;
let blobServer: RunningServer;
beforeAll(async () => {
  azurite = await startAzurite();
  [server, blobServer] = await Promise.all([
    startServer(),
    startServer({
      env: {
        STORAGE: 'blob',
        BLOB_CONNECTION_STRING: azurite.connectionString,
        BLOB_CONTAINER: 'mes-donnees',
        LOG_LEVEL: 'info',
      },
    }),
  ]);
});
afterAll(async () => {
  await Promise.all([server?.stop(), blobServer?.stop()]);
  await azurite?.stop();
});

/** A person on Teams who answered two questions, and the download link « mes données » gave them. */
async function personWithLink(on: RunningServer) {
  const person = new BotClient(on.url, undefined, undefined, 'msteams');
  await person.say('diagnostic rapide');
  await person.say('oui');
  await person.say('non');
  const reply = await person.say('mes données');
  const link = /\((http:\/\/127\.0\.0\.1:\d+\/mes-donnees\/[A-Za-z0-9_-]{32})\)/.exec(reply.text)![1]!;
  return { person, link, reply };
}

describe('Règle : « mes données » donne un lien de téléchargement personnel, court et à usage unique (Teams compris)', () => {
  it('le lien donne tout en JSON une fois, puis une page française « lien expiré »', async () => {
    const { link, reply } = await personWithLink(server);
    expect(reply.activities.flatMap((a) => a.attachments ?? [])).toEqual([]);

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

describe.each([
  ['lowdb', () => server],
  ['blob', () => blobServer],
])(
  'Règle : « supprimer mes données » efface aussi le lien de téléchargement pas encore utilisé (stockage %s)',
  (mode, on) => {
    it('après la suppression, le lien ne donne plus rien', async () => {
      const { person, link } = await personWithLink(on());
      await person.say('supprimer mes données');
      expect((await person.say('oui')).text).toContain('vos données sont supprimées');

      const download = await fetch(link);
      expect(download.status).toBe(404);
      if (mode === 'lowdb') {
        const files = await readdir(join(on().dataDir, 'state'));
        expect(files.filter((name) => name.startsWith('export%2f'))).toEqual([]);
      }
    });
  },
);

describe('Règle : la purge de rétention tourne dans chaque mode de stockage', () => {
  it('avec STORAGE=blob, un passage au démarrage, noté au journal', async () => {
    await expect
      .poll(() => blobServer.output(), { timeout: 15_000 })
      .toContain('retention: inactive data purged');
  });
});
