import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumArgs, chromiumPath } from '../helpers/chromium.js';
import { startEchoServer, type EchoServer } from './echoServer.js';

const secret = 'le-secret-direct-line-qui-ne-sort-jamais';

/**
 * A stand-in for a regional Azure Direct Line (`DIRECT_LINE_DOMAIN`): the server's `POST /v3/directline/tokens/generate`
 * and, with CORS like Azure's, the browser's `POST /v3/directline/conversations`.
 */
let azure: Server;
let azureUrl: string;
const azureCalls: { authorization?: string; body: { user?: { id?: string } } }[] = [];
const browserCalls: { method?: string; url?: string; authorization?: string; origin?: string }[] = [];
let azureFails = false;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let data = '';
    req.on('data', (chunk: Buffer) => (data += chunk.toString()));
    req.on('end', () => resolve(data));
  });
}

beforeAll(async () => {
  azure = createServer((req, res) => {
    if (req.headers.origin) {
      res.setHeader('access-control-allow-origin', '*');
      res.setHeader(
        'access-control-allow-headers',
        'authorization, content-type, x-ms-bot-agent, x-requested-with',
      );
      res.setHeader('access-control-allow-methods', 'GET, POST');
      if (req.method !== 'OPTIONS') {
        const { method, url, headers } = req;
        browserCalls.push({ method, url, authorization: headers.authorization, origin: headers.origin });
      }
      res.statusCode = req.method === 'OPTIONS' ? 204 : 201;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ conversationId: 'AzureConv-eu', token: 'jeton-azure', expires_in: 3600 }));
      return;
    }
    void readBody(req).then((raw) => {
      azureCalls.push({ authorization: req.headers.authorization, body: JSON.parse(raw || '{}') as never });
      // restify, loaded in this process, patches ServerResponse: writeHead does not chain here.
      res.setHeader('content-type', 'application/json');
      if (req.url !== '/v3/directline/tokens/generate' || req.method !== 'POST') {
        res.statusCode = 404;
        res.end('{}');
      } else if (azureFails || req.headers.authorization !== `Bearer ${secret}`) {
        res.statusCode = azureFails ? 500 : 403;
        res.end('{"error":{"code":"x"}}');
      } else {
        res.end(JSON.stringify({ conversationId: 'AzureConv-eu', token: 'jeton-azure', expires_in: 3600 }));
      }
    });
  });
  await new Promise<void>((resolve) => azure.listen(0, '127.0.0.1', resolve));
  azureUrl = `http://127.0.0.1:${(azure.address() as AddressInfo).port}/v3/directline`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => azure.close(() => resolve()));
});

describe('production web: DIRECT_LINE_SECRET set, with the region’s DIRECT_LINE_DOMAIN', () => {
  let server: EchoServer;
  beforeAll(async () => {
    // loadConfig accepts only https *.botframework.com hosts (test/domain/config.test.ts); the stand-in is local
    server = await startEchoServer({ config: { DIRECT_LINE_SECRET: secret, DIRECT_LINE_DOMAIN: azureUrl } });
  });
  afterAll(async () => server.close());

  it('exchanges the secret for a token at the region’s Direct Line; the secret never reaches the browser', async () => {
    const userId = 'dl_abcdefghijklmnopqrstuv';
    const response = await fetch(`${server.url}/api/directline/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId }),
    });
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(text).not.toContain(secret);
    expect(JSON.parse(text)).toEqual({
      token: 'jeton-azure',
      domain: azureUrl,
      userId,
      conversationId: 'AzureConv-eu',
      expiresIn: 3600,
    });
    expect(azureCalls.at(-1)).toEqual({ authorization: `Bearer ${secret}`, body: { user: { id: userId } } });
  });

  it('the page lets Web Chat reach that Direct Line, and Web Chat opens the conversation there', async () => {
    const page = await fetch(server.url);
    const connectSrc = /connect-src ([^;]*)/.exec(page.headers.get('content-security-policy') ?? '')?.[1];
    const origin = new URL(azureUrl).origin;
    expect(connectSrc?.split(' ')).toEqual(expect.arrayContaining([origin, origin.replace('http', 'ws')]));

    const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    try {
      await (await browser.newPage()).goto(server.url);
      for (let waited = 0; !browserCalls.length && waited < 15_000; waited += 100) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      await browser.close();
    }
    expect(browserCalls[0]).toEqual({
      method: 'POST',
      url: '/v3/directline/conversations',
      authorization: 'Bearer jeton-azure',
      origin: server.url,
    });
  }, 60_000);

  it('does not open the local Direct Line', async () => {
    const response = await fetch(`${server.url}/v3/directline/conversations`, { method: 'POST' });
    expect(response.status).toBe(404);
  });

  it('tells the page in French when Azure fails', async () => {
    azureFails = true;
    try {
      const response = await fetch(`${server.url}/api/directline/token`, { method: 'POST' });
      expect(response.status).toBe(502);
      const body = (await response.json()) as { error: { message: string } };
      expect(body.error.message).toBe(
        'Le service de discussion est momentanément indisponible. Réessayez dans un instant.',
      );
    } finally {
      azureFails = false;
    }
  });
});

describe('no web chat without a secret outside local mode', () => {
  it('answers 503 with the reason', async () => {
    const server = await startEchoServer({
      config: { localMode: false, MicrosoftAppId: '00000000-0000-0000-0000-000000000001' },
    });
    try {
      const response = await fetch(`${server.url}/api/directline/token`, { method: 'POST' });
      expect(response.status).toBe(503);
      expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(
        /DIRECT_LINE_SECRET/,
      );
      expect((await fetch(`${server.url}/v3/directline/conversations`, { method: 'POST' })).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});

describe('rate limits on the public routes', () => {
  let server: EchoServer;
  beforeAll(async () => {
    server = await startEchoServer({
      limits: {
        postsPerToken: { capacity: 3, perSecond: 0.01 },
        tokensPerIp: { capacity: 2, perSecond: 0.01 },
      },
    });
  });
  afterAll(async () => server.close());

  const tooMany = {
    error: { code: 'TooManyRequests', message: 'Trop de requêtes : patientez quelques secondes.' },
  };

  it('limits the tokens handed to one address', async () => {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 3; i++) {
      last = await fetch(`${server.url}/api/directline/token`, { method: 'POST' });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await last?.json()).toEqual(tooMany);
  });

  it('limits the activities one token posts', async () => {
    const token = server.channels.directLine?.signer.sign('conv-limitee', 'dl_limite-0000000000000000');
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    await fetch(`${server.url}/v3/directline/conversations`, { method: 'POST', headers, body: '{}' });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const response = await fetch(`${server.url}/v3/directline/conversations/conv-limitee/activities`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ type: 'message', text: `n°${i}` }),
      });
      statuses.push(response.status);
      if (response.status === 429) expect(await response.json()).toEqual(tooMany);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});
