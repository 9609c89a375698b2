import { afterEach, describe, expect, it } from 'vitest';
import { BotClient } from '../helpers/botClient.js';
import { startServer, type RunningServer } from '../helpers/server.js';

const running: RunningServer[] = [];
async function server(dataDir?: string) {
  const s = await startServer(dataDir ? { dataDir } : {});
  running.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.kill9()));
});

describe('diagnostic rapide, de bout en bout par POST /api/messages (expectReplies), en tapant seulement', () => {
  it('13 × « oui » : 13 questions numérotées N / 13, puis 100 % et Maturité', async () => {
    const s = await server();
    const person = new BotClient(s.url);
    let reply = await person.say('diagnostic rapide');
    expect(reply.status).toBe(200);
    for (let n = 1; n <= 13; n++) {
      expect(reply.text).toContain(`Question ${n} / 13`);
      reply = await person.say('oui');
    }
    expect(reply.text).toContain('100 %');
    expect(reply.text).toContain('Maturité');
    expect(reply.text).not.toMatch(/Error|stack|undefined/);
  });

  it('13 × « non » : 0 % et Émergence', async () => {
    const s = await server();
    const person = new BotClient(s.url);
    await person.say('diagnostic rapide');
    let reply;
    for (let n = 1; n <= 13; n++) reply = await person.say('non');
    expect(reply!.text).toContain('0 %');
    expect(reply!.text).toContain('Émergence');
  });

  it('après 5 réponses, kill -9 puis redémarrage sur le même DATA_DIR : « reprendre » montre la question 6 / 13', async () => {
    const first = await server();
    const person = new BotClient(first.url);
    await person.say('diagnostic rapide');
    for (let n = 1; n <= 5; n++) await person.say(n % 2 ? 'oui' : 'en partie');
    await first.kill9();

    const second = await server(first.dataDir);
    const samePerson = new BotClient(second.url, person.userId, person.conversationId);
    const sameConversation = await samePerson.say('reprendre');
    expect(sameConversation.text).toContain('Question 6 / 13');

    samePerson.newConversation();
    const newConversation = await samePerson.say('reprendre');
    expect(newConversation.text).toContain('Question 6 / 13');
  });

  it('diagnostic complet : kill -9 à un indicateur quelconque, « reprendre » continue au premier sans réponse', async () => {
    const first = await server();
    const person = new BotClient(first.url);
    await person.say('diagnostic complet');
    await person.say('Haut-Test');
    await person.say('intercommunalité');
    await person.say('1 3');
    let reply = await person.say('1');
    expect(reply.text).toContain('Indicateur 1 / 68 — Enjeu 1 · Prérequis 1');
    const stopAt = 18 + Math.floor(Math.random() * 10);
    for (let n = 1; n < stopAt; n++) {
      reply = await person.say(n % 3 === 0 ? 'non' : n % 3 === 1 ? 'oui' : 'je ne sais pas');
      // quantities asked after a "oui": skip them
      while (/précision \d+ \/ \d+/.test(reply.text)) reply = await person.say('passer');
    }
    expect(reply.text).toContain(`Indicateur ${stopAt} / 68`);
    await first.kill9();

    const second = await server(first.dataDir);
    const again = new BotClient(second.url, person.userId);
    const resumed = await again.say('reprendre');
    expect(resumed.text).toContain(`Indicateur ${stopAt} / 68`);
  });

  it('un message mal formé ou trop long reçoit une erreur claire, sans trace technique', async () => {
    const s = await server();
    const malformed = await fetch(`${s.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"type": "message", ',
    });
    expect(malformed.status).toBe(400);
    const body = await malformed.text();
    expect(body).not.toMatch(/at .*\.js:\d+/);

    const person = new BotClient(s.url);
    const long = await person.say('x'.repeat(5000));
    expect(long.status).toBe(200);
    expect(long.text).toContain('trop long');
  });
});
