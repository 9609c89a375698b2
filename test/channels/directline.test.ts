import { once } from 'node:events';
import { DirectLine, ConnectionStatus, type Activity, type Message } from 'botframework-directlinejs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { TokenSigner } from '../../src/channels/directline/token.js';
import { startEchoServer, type EchoServer } from './echoServer.js';

// jsdom ships no types here: load it by name and type the little we use.
const jsdomName = 'jsdom';
const { JSDOM } = (await import(jsdomName)) as {
  JSDOM: new (html: string, options: { url: string }) => { window: { XMLHttpRequest: unknown } };
};

let echo: EchoServer;
const clients: DirectLine[] = [];

interface TokenResponse {
  token: string;
  domain: string;
  userId: string;
  conversationId: string;
  expiresIn: number;
}

async function tokenFor(userId?: string): Promise<TokenResponse> {
  const response = await fetch(`${echo.url}/api/directline/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(userId ? { userId } : {}),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as TokenResponse;
}

function api(path: string, token: string | undefined, init: RequestInit = {}): Promise<Response> {
  return fetch(`${echo.url}/v3/directline${path}`, {
    ...init,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(init.headers as Record<string, string> | undefined),
    },
  });
}

async function startConversation(
  token: string,
): Promise<{ conversationId: string; token: string; streamUrl: string }> {
  const response = await api('/conversations', token, { method: 'POST', body: '{}' });
  expect([200, 201]).toContain(response.status);
  return (await response.json()) as { conversationId: string; token: string; streamUrl: string };
}

/** The official client, as Web Chat uses it, from Node: the browser's XMLHttpRequest and WebSocket are lent by jsdom and ws. */
function directLine(token: string, domain: string, webSocket: boolean): DirectLine {
  const client = new DirectLine({ token, domain, webSocket, pollingInterval: 200 });
  clients.push(client);
  return client;
}

function nextActivity(
  client: DirectLine,
  predicate: (a: Activity) => boolean,
  timeoutMs = 5000,
): Promise<Activity> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.unsubscribe();
      reject(new Error('no matching activity in time'));
    }, timeoutMs);
    const subscription = client.activity$.subscribe((activity) => {
      if (!predicate(activity)) return;
      clearTimeout(timer);
      subscription.unsubscribe();
      resolve(activity);
    });
  });
}

function post(client: DirectLine, userId: string, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    client
      .postActivity({ type: 'message', from: { id: userId }, text } as Message)
      .subscribe(resolve, reject);
  });
}

const isText = (text: string) => (a: Activity) => a.type === 'message' && (a as Message).text === text;

beforeAll(async () => {
  echo = await startEchoServer();
  const g = globalThis as Record<string, unknown>;
  g.XMLHttpRequest = new JSDOM('', { url: echo.url }).window.XMLHttpRequest;
  g.WebSocket = WebSocket;
});

afterAll(async () => {
  for (const client of clients) client.end();
  const g = globalThis as Record<string, unknown>;
  delete g.XMLHttpRequest;
  delete g.WebSocket;
  await echo?.close();
});

describe('POST /api/directline/token', () => {
  it('hands out a token, the Direct Line address and a random user id the browser keeps', async () => {
    const first = await tokenFor();
    expect(first.userId).toMatch(/^dl_[A-Za-z0-9_-]{16,}$/);
    expect(first.domain).toBe(`${echo.url}/v3/directline`);
    expect(first.expiresIn).toBeGreaterThan(60);
    const payload = JSON.parse(Buffer.from(first.token.split('.')[1] ?? '', 'base64url').toString()) as {
      user: string;
      conv: string;
    };
    expect(payload).toMatchObject({ user: first.userId, conv: first.conversationId });

    const again = await tokenFor(first.userId);
    expect(again.userId).toBe(first.userId);
    expect(again.conversationId).not.toBe(first.conversationId);
  });

  it('ignores a user id that is not one of its own random ids', async () => {
    const forged = await tokenFor('29:someone-else');
    expect(forged.userId).toMatch(/^dl_/);
  });
});

describe('botframework-directlinejs against the local Direct Line', () => {
  it('starts a conversation, gets the welcome, and the reply over the WebSocket', async () => {
    const { token, domain, userId } = await tokenFor();
    const client = directLine(token, domain, true);
    const welcome = nextActivity(client, isText('Bienvenue !'));
    expect((await welcome).from.id).toBe('assistant-maturite');

    const startedAt = performance.now();
    const reply = nextActivity(client, isText('écho : bonjour'));
    const echoed = nextActivity(client, (a) => a.from.id === userId && (a as Message).text === 'bonjour');
    const id = await post(client, userId, 'bonjour');
    const [received, own] = await Promise.all([reply, echoed]);
    const roundTrip = performance.now() - startedAt;
    console.info(`directline WebSocket round trip: ${roundTrip.toFixed(1)} ms`);

    expect(id).toMatch(/\|\d+$/);
    expect(own.id).toBe(id);
    expect((received as Message & { replyToId?: string }).replyToId).toBe(id);
    expect(received.conversation?.id).toBe(own.conversation?.id);
    expect(client.connectionStatus$.getValue()).toBe(ConnectionStatus.Online);

    const toBot = echo.received.find((a) => a.text === 'bonjour');
    expect(toBot).toMatchObject({ channelId: 'directline', from: { id: userId }, serviceUrl: echo.url });
  });

  it('delivers the same replies by polling with a watermark', async () => {
    const { token, domain, userId } = await tokenFor();
    const client = directLine(token, domain, false);
    await nextActivity(client, isText('Bienvenue !'));
    const startedAt = performance.now();
    const reply = nextActivity(client, isText('écho : par sondage'));
    await post(client, userId, 'par sondage');
    await reply;
    console.info(
      `directline polling round trip (200 ms interval): ${(performance.now() - startedAt).toFixed(1)} ms`,
    );
  });

  it('refreshes a token for the same conversation and user', async () => {
    const { token } = await tokenFor();
    const response = await api('/tokens/refresh', token, { method: 'POST' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { token: string; conversationId: string; expires_in: number };
    const started = await startConversation(body.token);
    expect(started.conversationId).toBe(body.conversationId);
  });
});

describe('tokens are signed, expire, and open one conversation only', () => {
  it('refuses a request without a token, a forged token, a tampered token and an expired one', async () => {
    const { token, conversationId, userId } = await tokenFor();
    expect((await api('/conversations', undefined, { method: 'POST', body: '{}' })).status).toBe(401);

    const forged = new TokenSigner().sign(conversationId, userId);
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<string, unknown>;
    const tampered = [
      header,
      Buffer.from(JSON.stringify({ ...claims, conv: 'une-autre' })).toString('base64url'),
      signature,
    ].join('.');
    const expired = new TokenSigner(undefined, 1800, () => Date.now() - 3600_000).sign(
      conversationId,
      userId,
    );
    for (const bad of [forged, tampered, expired, 'pas-un-jeton']) {
      const response = await api('/conversations', bad, { method: 'POST', body: '{}' });
      expect(response.status).toBe(403);
      const body = (await response.json()) as { error: { message: string } };
      expect(body.error.message).toMatch(/Jeton/);
    }
  });

  it('a token for one conversation can neither read nor post in another, nor open its stream', async () => {
    const mine = await tokenFor();
    const theirs = await tokenFor();
    const theirConversation = await startConversation(theirs.token);
    await startConversation(mine.token);
    const id = theirConversation.conversationId;

    const read = await api(`/conversations/${id}/activities`, mine.token);
    expect(read.status).toBe(403);
    expect(((await read.json()) as { error: { message: string } }).error.message).toBe(
      'Ce jeton ne donne pas accès à cette conversation.',
    );
    const write = await api(`/conversations/${id}/activities`, mine.token, {
      method: 'POST',
      body: JSON.stringify({ type: 'message', text: 'intrus' }),
    });
    expect(write.status).toBe(403);
    expect((await api(`/conversations/${id}?watermark=0`, mine.token)).status).toBe(403);

    const stream = new WebSocket(theirConversation.streamUrl.replace(/t=[^&]+/, `t=${mine.token}`));
    const [error] = (await once(stream, 'error')) as [Error];
    expect(error.message).toMatch(/403/);
  });

  it('keeps the user of the token whatever the activity claims', async () => {
    const { token, userId } = await tokenFor();
    const { conversationId } = await startConversation(token);
    const response = await api(`/conversations/${conversationId}/activities`, token, {
      method: 'POST',
      body: JSON.stringify({
        type: 'message',
        text: 'qui suis-je',
        from: { id: 'dl_quelquun-dautre-000000' },
      }),
    });
    expect(response.status).toBe(200);
    const { activities } = (await (
      await api(`/conversations/${conversationId}/activities`, token)
    ).json()) as {
      activities: Activity[];
    };
    expect(activities.find((a) => (a as Message).text === 'qui suis-je')?.from.id).toBe(userId);
  });
});

describe('the stream and the queue', () => {
  it('reconnects with a watermark and receives only what came after it', async () => {
    const { token } = await tokenFor();
    const { conversationId } = await startConversation(token);
    await expect
      .poll(async () =>
        JSON.stringify(await (await api(`/conversations/${conversationId}/activities`, token)).json()),
      )
      .toContain('Bienvenue !');
    for (const text of ['un', 'deux']) {
      await api(`/conversations/${conversationId}/activities`, token, {
        method: 'POST',
        body: JSON.stringify({ type: 'message', text }),
      });
    }
    const polled = (await (await api(`/conversations/${conversationId}/activities`, token)).json()) as {
      activities: Activity[];
      watermark: string;
    };
    expect(polled.activities.map((a) => (a as Message).text)).toEqual([
      'Bienvenue !',
      'un',
      'écho : un',
      'deux',
      'écho : deux',
    ]);
    const watermark = Number(polled.watermark) - 2;
    const reconnect = (await (
      await api(`/conversations/${conversationId}?watermark=${watermark}`, token)
    ).json()) as {
      streamUrl: string;
    };
    expect(reconnect.streamUrl).toMatch(
      /^ws:\/\/127\.0\.0\.1:\d+\/v3\/directline\/conversations\/.+\/stream\?watermark=/,
    );
    const ws = new WebSocket(reconnect.streamUrl);
    const [data] = (await once(ws, 'message')) as [Buffer];
    const set = JSON.parse(data.toString()) as { activities: Message[]; watermark: string };
    expect(set.activities.map((a) => a.text)).toEqual(['deux', 'écho : deux']);
    expect(set.watermark).toBe(polled.watermark);

    const live = once(ws, 'message');
    await api(`/conversations/${conversationId}/activities`, token, {
      method: 'POST',
      body: JSON.stringify({ type: 'message', text: 'trois' }),
    });
    const [next] = (await live) as [Buffer];
    expect((JSON.parse(next.toString()) as { activities: Message[] }).activities[0]?.text).toBe('trois');
    ws.close();
  });

  it('sends typing over the WebSocket only, and replaces an updated activity', async () => {
    const { token } = await tokenFor();
    const { conversationId, streamUrl } = await startConversation(token);
    const ws = new WebSocket(streamUrl);
    const messages: { type: string; text?: string }[] = [];
    ws.on('message', (data: Buffer) =>
      messages.push(...(JSON.parse(data.toString()) as { activities: Message[] }).activities),
    );
    await once(ws, 'open');
    for (const text of ['tape', 'modifie']) {
      await api(`/conversations/${conversationId}/activities`, token, {
        method: 'POST',
        body: JSON.stringify({ type: 'message', text }),
      });
    }
    await expect.poll(() => messages.some((m) => m.text === 'seconde version')).toBe(true);
    expect(messages.some((m) => m.type === 'typing')).toBe(true);
    const { activities } = (await (
      await api(`/conversations/${conversationId}/activities`, token)
    ).json()) as {
      activities: { type: string; text?: string }[];
    };
    expect(activities.some((a) => a.type === 'typing')).toBe(false);
    expect(activities.filter((a) => a.text === 'première version')).toHaveLength(0);
    expect(activities.filter((a) => a.text === 'seconde version')).toHaveLength(1);
    ws.close();
  });

  it('bounds the message size and answers in French', async () => {
    const { token } = await tokenFor();
    const { conversationId } = await startConversation(token);
    const response = await api(`/conversations/${conversationId}/activities`, token, {
      method: 'POST',
      body: JSON.stringify({ type: 'message', text: 'x'.repeat(40_000) }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      error: { code: 'MessageSizeTooBig', message: 'Message trop long (limite : 32 Ko).' },
    });
    const bad = await api(`/conversations/${conversationId}/activities`, token, {
      method: 'POST',
      body: '[1,2]',
    });
    expect(bad.status).toBe(400);
  });

  it('refuses file uploads politely', async () => {
    const { token } = await tokenFor();
    const { conversationId } = await startConversation(token);
    const response = await api(`/conversations/${conversationId}/upload?userId=x`, token, {
      method: 'POST',
      body: '{}',
    });
    expect(response.status).toBe(415);
  });

  it('answers a Connector call for an unknown conversation with 404', async () => {
    const response = await fetch(`${echo.url}/v3/conversations/inconnue/activities`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: 'perdu' }),
    });
    expect(response.status).toBe(404);
  });
});
