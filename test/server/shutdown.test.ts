import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { BotClient } from '../helpers/botClient.js';
import { startServer, type RunningServer } from '../helpers/server.js';
import { openRecords, testRespondentId } from '../reliability/records.js';

/** A Web Chat conversation through the local Direct Line: its token, id and stream address. */
async function webConversation(server: RunningServer) {
  const issued = (await (
    await fetch(`${server.url}/api/directline/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    })
  ).json()) as { token: string };
  const started = await fetch(`${server.url}/v3/directline/conversations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${issued.token}`, 'content-type': 'application/json' },
    body: '{}',
  });
  const { conversationId, token, streamUrl } = (await started.json()) as {
    conversationId: string;
    token: string;
    streamUrl: string;
  };
  const post = (text: string) =>
    fetch(`${server.url}/v3/directline/conversations/${conversationId}/activities`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', from: { id: 'web' }, text }),
    });
  return { conversationId, streamUrl, post };
}

describe('Règle : un arrêt demandé (SIGTERM) finit ce qui est en cours avant de sortir', () => {
  it(
    '20 réponses en cours pendant le SIGTERM : toutes répondues, toutes enregistrées, code de sortie 0',
    { timeout: 60_000 },
    async () => {
      const server = await startServer();
      try {
        const people = Array.from({ length: 20 }, () => new BotClient(server.url));
        await Promise.all(people.map((person) => person.say('diagnostic rapide')));
        const replies = people.map((person) => person.say('oui'));
        await sleep(5);
        const signalledAt = Date.now();
        process.kill(server.pid, 'SIGTERM');
        const answered = await Promise.all(replies);
        expect(answered.map((reply) => reply.status)).toEqual(people.map(() => 200));
        for (const reply of answered) expect(reply.text).toContain('Question 2 / 13');
        expect(await server.exitStatus).toEqual({ code: 0, signal: null });
        const shutdownMs = Date.now() - signalledAt;
        const { service } = openRecords(server.dataDir);
        for (const person of people) {
          const diagnostic = await service.activeDiagnostic(testRespondentId(person.userId));
          expect(Object.keys(diagnostic!.answers)).toHaveLength(1);
        }
        console.log(`shutdown with 20 answers in flight: ${shutdownMs} ms`);
      } finally {
        await server.stop();
      }
    },
  );

  it(
    'Web Chat : les messages en cours passent par le bot, puis le flux WebSocket est fermé (1001)',
    { timeout: 60_000 },
    async () => {
      const server = await startServer();
      try {
        const conversations = await Promise.all(Array.from({ length: 5 }, () => webConversation(server)));
        const stream = new WebSocket(conversations[0]!.streamUrl);
        const streamed: string[] = [];
        stream.on('message', (data: Buffer) => streamed.push(data.toString()));
        const closed = new Promise<number>((resolve) => stream.on('close', (code) => resolve(code)));
        await new Promise((resolve) => stream.once('open', resolve));
        const posts = conversations.map((c) => c.post('diagnostic rapide'));
        await sleep(5);
        process.kill(server.pid, 'SIGTERM');
        const statuses = await Promise.all(posts.map(async (post) => (await post).status));
        expect(statuses).toEqual([200, 200, 200, 200, 200]);
        expect(await closed).toBe(1001);
        expect(streamed.join('\n')).toContain('Question 1 / 13');
        expect(await server.exitStatus).toEqual({ code: 0, signal: null });
      } finally {
        await server.stop();
      }
    },
  );

  it(
    'une requête qui ne finit jamais ne retient pas l’arrêt plus de 10 s (code de sortie 1)',
    { timeout: 60_000 },
    async () => {
      const server = await startServer();
      try {
        const stalled = connect(server.port, '127.0.0.1');
        stalled.on('error', () => undefined);
        stalled.resume();
        stalled.write(
          'POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{',
        );
        await sleep(200);
        const signalledAt = Date.now();
        process.kill(server.pid, 'SIGTERM');
        const during = new BotClient(server.url);
        expect((await during.say('menu')).status).toBe(200);
        expect(await server.exitStatus).toEqual({ code: 1, signal: null });
        const shutdownMs = Date.now() - signalledAt;
        expect(shutdownMs).toBeGreaterThanOrEqual(10_000);
        expect(shutdownMs).toBeLessThan(12_000);
        stalled.destroy();
      } finally {
        await server.stop();
      }
    },
  );
});
