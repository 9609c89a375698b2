import { createServer, type Server } from 'node:http';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotClient } from '../helpers/botClient.js';
import { startAzurite, type Azurite } from '../helpers/azurite.js';
import { startServer, type RunningServer } from '../helpers/server.js';

/**
 * STORAGE=blob with BLOB_ACCOUNT_URL, end to end and without Azure: the real server signs in with DefaultAzureCredential,
 * which on App Service asks the managed identity endpoint (IDENTITY_ENDPOINT, IDENTITY_HEADER) for a token of the
 * identity AZURE_CLIENT_ID names; Azurite, over HTTPS with `--oauth basic`, accepts only requests that carry one.
 * The certificate (127.0.0.1, tests only) is trusted by the server through NODE_EXTRA_CA_CERTS.
 */
const tls = join(import.meta.dirname, 'fixtures', 'tls');
const ca = readFileSync(join(tls, 'cert.pem'));
const clientId = '7d3c9a10-5b1e-4c2f-9a8d-0e6f4b2c1a90';
const tenantId = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const identityHeader = 'en-tete-app-service';

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** A token shaped like Entra ID's for Azure Storage: Azurite's basic OAuth checks audience, issuer and lifetime. */
function storageToken(): string {
  const now = Math.floor(Date.now() / 1000);
  return [
    base64url({ alg: 'RS256', typ: 'JWT' }),
    base64url({
      aud: 'https://storage.azure.com',
      iss: `https://sts.windows.net/${tenantId}/`,
      iat: now - 60,
      nbf: now - 60,
      exp: now + 3600,
      appid: clientId,
    }),
    Buffer.from('signature-de-test').toString('base64url'),
  ].join('.');
}

let azurite: Azurite;
let identityEndpoint: Server;
let server: RunningServer;
const tokenRequests: { path: string; resource: string | null; clientId: string | null; header?: string }[] =
  [];
const issued = new Set<string>();

/** Azurite's REST API from this process, trusting the test certificate for this request only. */
function azuriteGet(path: string, token?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: azurite.port,
        path,
        ca,
        headers: { 'x-ms-version': '2021-12-02', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  azurite = await startAzurite({
    extraArgs: ['--cert', join(tls, 'cert.pem'), '--key', join(tls, 'key.pem'), '--oauth', 'basic'],
  });
  identityEndpoint = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    tokenRequests.push({
      path: url.pathname,
      resource: url.searchParams.get('resource'),
      clientId: url.searchParams.get('client_id'),
      header: req.headers['x-identity-header'] as string | undefined,
    });
    const token = storageToken();
    issued.add(token);
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({
        access_token: token,
        expires_on: String(Math.floor(Date.now() / 1000) + 3600),
        resource: url.searchParams.get('resource'),
        token_type: 'Bearer',
        client_id: url.searchParams.get('client_id'),
      }),
    );
  });
  await new Promise<void>((resolve) => identityEndpoint.listen(0, '127.0.0.1', resolve));
  const identityPort = (identityEndpoint.address() as AddressInfo).port;
  server = await startServer({
    env: {
      STORAGE: 'blob',
      BLOB_ACCOUNT_URL: `https://127.0.0.1:${azurite.port}/devstoreaccount1`,
      BLOB_CONTAINER: 'assistant-identite',
      AZURE_CLIENT_ID: clientId,
      IDENTITY_ENDPOINT: `http://127.0.0.1:${identityPort}/msi/token`,
      IDENTITY_HEADER: identityHeader,
      NODE_EXTRA_CA_CERTS: join(tls, 'cert.pem'),
      LOG_LEVEL: 'info',
    },
    timeoutMs: 60_000,
  });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await new Promise((resolve) => identityEndpoint?.close(resolve));
  await azurite?.stop();
});

describe('Blob storage through a managed identity (BLOB_ACCOUNT_URL)', () => {
  it('Azurite refuses a request without a token: only the identity opens the container', async () => {
    const anonymous = await azuriteGet('/devstoreaccount1/assistant-identite?restype=container&comp=list');
    expect(anonymous.status).toBeGreaterThanOrEqual(400);
    const withToken = await azuriteGet(
      '/devstoreaccount1/assistant-identite?restype=container&comp=list',
      storageToken(),
    );
    expect(withToken.status).toBe(200);
  });

  it('the server is ready, answers a conversation, and its records are blobs of the container', async () => {
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ok: true, storage: 'blob' });

    const person = new BotClient(server.url);
    expect((await person.say('diagnostic rapide')).text).toMatch(/Question 1 \/ 13/);
    expect((await person.say('oui')).text).toMatch(/Question 2 \/ 13/);

    const listing = await azuriteGet(
      '/devstoreaccount1/assistant-identite?restype=container&comp=list',
      storageToken(),
    );
    expect(listing.body).toContain('<Name>health%2Fready</Name>');
    expect(listing.body).toMatch(/<Name>diagnostic%2F[^<]+<\/Name>/);
  });

  it('asked App Service’s identity endpoint for a storage token of the identity AZURE_CLIENT_ID names', () => {
    expect(tokenRequests.length).toBeGreaterThan(0);
    for (const asked of tokenRequests) {
      expect(asked).toEqual({
        path: '/msi/token',
        resource: 'https://storage.azure.com',
        clientId,
        header: identityHeader,
      });
    }
    for (const token of issued) expect(server.output()).not.toContain(token);
  });
});
