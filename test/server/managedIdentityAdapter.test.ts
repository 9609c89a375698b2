import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdapter } from '../../src/bot/adapter.js';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/log.js';

// The bot's identity is a user-assigned managed identity: its client id is MicrosoftAppId, and there is no password.
const clientId = '7d3c9a10-5b1e-4c2f-9a8d-0e6f4b2c1a90';
const tenantId = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const issuedToken = 'jeton-de-l-identite-managee';

/** What App Service's managed identity endpoint and the Bot Connector service saw. */
const seen: {
  identity: { url: string; header?: string }[];
  connector: { url: string; authorization?: string }[];
} = { identity: [], connector: [] };
let identityEndpoint: Server;
let connector: Server;

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
}

function drain(req: IncomingMessage): Promise<void> {
  return new Promise((resolve) => req.resume().on('end', () => resolve()));
}

beforeAll(async () => {
  // App Service's managed identity endpoint (IDENTITY_ENDPOINT, IDENTITY_HEADER), as @azure/identity calls it there.
  identityEndpoint = createServer((req, res) => {
    seen.identity.push({
      url: req.url ?? '',
      header: req.headers['x-identity-header'] as string | undefined,
    });
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({
        access_token: issuedToken,
        expires_on: String(Math.floor(Date.now() / 1000) + 3600),
        resource: 'https://api.botframework.com',
        token_type: 'Bearer',
        client_id: clientId,
      }),
    );
  });
  connector = createServer((req, res) => {
    void drain(req).then(() => {
      seen.connector.push({ url: req.url ?? '', authorization: req.headers.authorization });
      res.setHeader('content-type', 'application/json');
      res.end('{"id":"activite-1"}');
    });
  });
  process.env.IDENTITY_ENDPOINT = `${await listen(identityEndpoint)}/msi/token`;
  process.env.IDENTITY_HEADER = 'en-tete-secret-app-service';
  await listen(connector);
});

afterAll(async () => {
  delete process.env.IDENTITY_ENDPOINT;
  delete process.env.IDENTITY_HEADER;
  await Promise.all([identityEndpoint, connector].map((s) => new Promise((r) => s.close(r))));
});

describe('MicrosoftAppType=UserAssignedMSI', () => {
  it('builds an adapter whose replies carry a token of the managed identity named by MicrosoftAppId', async () => {
    const config = loadConfig({
      MicrosoftAppType: 'UserAssignedMSI',
      MicrosoftAppId: clientId,
      MicrosoftAppTenantId: tenantId,
    });
    const adapter = createAdapter(config, createLogger('silent'));
    const serviceUrl = `http://127.0.0.1:${(connector.address() as AddressInfo).port}/`;

    await adapter.continueConversationAsync(
      clientId,
      {
        channelId: 'msteams',
        serviceUrl,
        conversation: { id: 'a:conversation-teams', isGroup: false, conversationType: 'personal', name: '' },
        bot: { id: `28:${clientId}`, name: 'Assistant' },
      },
      async (context) => {
        await context.sendActivity('Bonjour');
      },
    );

    expect(seen.identity.length).toBeGreaterThan(0);
    const asked = new URL(seen.identity[0]!.url, 'http://x');
    expect(asked.pathname).toBe('/msi/token');
    expect(asked.searchParams.get('client_id')).toBe(clientId);
    expect(asked.searchParams.get('resource')).toBe('https://api.botframework.com');
    expect(seen.identity[0]!.header).toBe('en-tete-secret-app-service');
    expect(seen.connector).toEqual([
      {
        url: expect.stringMatching(/^\/v3\/conversations\/a%3Aconversation-teams\/activities(\/|$)/),
        authorization: `Bearer ${issuedToken}`,
      },
    ]);
  });
});
