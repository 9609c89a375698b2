import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type Azurite } from '../helpers/azurite.js';
import { BotClient } from '../helpers/botClient.js';
import { startServer, type RunningServer } from '../helpers/server.js';

let azurite: Azurite;
const servers: RunningServer[] = [];

beforeAll(async () => {
  azurite = await startAzurite();
  const env = {
    STORAGE: 'blob',
    BLOB_CONNECTION_STRING: azurite.connectionString,
    BLOB_CONTAINER: 'assistant',
  };
  servers.push(await startServer({ env }), await startServer({ env }));
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await azurite?.stop();
});

/** One person whose messages go to instance A, then B, then A… as behind a load balancer. */
function alternating() {
  const first = new BotClient(servers[0]!.url);
  const clients = [first, new BotClient(servers[1]!.url, first.userId, first.conversationId)];
  let turn = 0;
  return {
    userId: clients[0]!.userId,
    say: (text: string) => clients[turn++ % clients.length]!.say(text),
    on: (i: number) => clients[i]!,
  };
}

describe('Scénario : deux instances du bot sur un même stockage Blob (Azurite)', () => {
  it('une conversation qui alterne entre les deux instances va au bout, sans perte ni saut', async () => {
    const person = alternating();
    let reply = await person.say('diagnostic rapide');
    for (let n = 1; n <= 13; n++) {
      expect(reply.text).toContain(`Question ${n} / 13`);
      reply = await person.say(n <= 7 ? 'oui' : 'non');
    }
    expect(reply.text).toContain('Couverture : 13 réponses connues sur 13');
    expect(reply.text).toMatch(/Niveau : \w+/);
    const again = await person.say('résultats');
    expect(again.text).toContain('13 réponses connues sur 13');
  });

  it('les diagnostics gardent leur protection par eTag d’une instance à l’autre : deux personnes, deux instances, rien de perdu', async () => {
    const owner = alternating();
    await owner.say('diagnostic complet');
    await owner.say('Azurite-les-Pins');
    await owner.say('intercommunalité');
    await owner.say('aucune');
    await owner.say('2');
    const code = /\*\*([A-Z0-9-]+)\*\*/.exec((await owner.say('inviter')).text)![1]!;
    const colleague = alternating();
    expect((await colleague.say(`rejoindre ${code}`)).text).toContain('Vous avez rejoint');
    await colleague.say('reprendre');
    await owner.say('reprendre');

    // Both answer at the same moment, each on a different instance, 8 times.
    for (let n = 0; n < 8; n++) {
      const [a, b] = await Promise.all([owner.on(0).say('oui'), colleague.on(1).say('non')]);
      expect(a.status).toBe(200);
      expect(b.status).toBe(200);
      expect(a.text + b.text).not.toContain('problème technique');
    }
    const view = await owner.say('désaccords');
    expect(view.text).toContain('8 indicateurs où les réponses diffèrent');
  });
});
