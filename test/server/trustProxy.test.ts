import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../helpers/server.js';
import { rawRequest } from './rawHttp.js';

/** Tokens per address before the limit (src/channels/directline/localDirectLine.ts, `tokensPerIp`). */
const tokensPerAddress = 30;

describe('Règle : X-Forwarded-For ne compte que si l’exploitant le dit (TRUST_PROXY)', () => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  /** POST /api/directline/token `count` times, from `localAddress`, with the `X-Forwarded-For` of each `forwarded(i)`. */
  async function tokens(count: number, localAddress: string, forwarded: (i: number) => string | undefined) {
    const statuses: number[] = [];
    for (let i = 0; i < count; i++) {
      const header = forwarded(i);
      const response = await rawRequest(`${server!.url}/api/directline/token`, {
        method: 'POST',
        localAddress,
        headers: { 'content-type': 'application/json', ...(header ? { 'x-forwarded-for': header } : {}) },
        body: '{}',
      });
      statuses.push(response.status);
    }
    return statuses;
  }

  it('par défaut, un en-tête différent à chaque requête ne contourne pas la limite (même depuis 127.0.0.2)', async () => {
    server = await startServer();
    const statuses = await tokens(tokensPerAddress + 5, '127.0.0.2', (i) => `198.51.100.${i}`);
    expect(statuses.slice(0, tokensPerAddress).every((status) => status === 200)).toBe(true);
    expect(statuses.slice(tokensPerAddress)).toEqual([429, 429, 429, 429, 429]);
  });

  it('TRUST_PROXY=1 (App Service) : chaque client est compté à l’adresse que le relais a vue', async () => {
    server = await startServer({ env: { TRUST_PROXY: '1' } });
    // what a client wrote itself comes first; the relay appends the address it saw
    const a = await tokens(tokensPerAddress + 1, '127.0.0.1', (i) => `10.9.9.${i}, 203.0.113.7`);
    expect(a.at(-1)).toBe(429);
    expect(a.slice(0, tokensPerAddress).every((status) => status === 200)).toBe(true);
    expect(await tokens(1, '127.0.0.1', () => '203.0.113.8')).toEqual([200]);
  });

  it('TRUST_PROXY=<adresses> : on remonte les relais connus, la première adresse inconnue est le client', async () => {
    server = await startServer({ env: { TRUST_PROXY: '127.0.0.1, 10.0.0.0/8' } });
    const a = await tokens(tokensPerAddress + 1, '127.0.0.1', (i) => `192.0.2.${i}, 203.0.113.9, 10.1.2.3`);
    expect(a.at(-1)).toBe(429);
    expect(await tokens(1, '127.0.0.1', () => '203.0.113.10, 10.1.2.3')).toEqual([200]);
    // a peer that is not in the list is the client, whatever it writes
    const b = await tokens(tokensPerAddress + 1, '127.0.0.2', (i) => `198.51.100.${i}`);
    expect(b.at(-1)).toBe(429);
  });
});
