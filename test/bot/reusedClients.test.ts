import {
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { ReusedClientsAuthentication } from '../../src/bot/reusedClients.js';

const localMode = () =>
  new ReusedClientsAuthentication(
    new ConfigurationBotFrameworkAuthentication({} as ConfigurationBotFrameworkAuthenticationOptions),
  );

const activity = (serviceUrl: string) =>
  ({
    type: 'message',
    channelId: 'test',
    serviceUrl,
    conversation: { id: 'c' },
    from: { id: 'u' },
    recipient: { id: 'bot' },
  }) as Activity;

describe('connector clients reused from one activity to the next', () => {
  it('the same client for the same service URL, another for another URL; each request still authenticated', async () => {
    const auth = localMode();
    const first = await auth.authenticateRequest(activity('http://127.0.0.1:9/'), '');
    const second = await auth.authenticateRequest(activity('http://127.0.0.1:9/'), '');
    expect(first).not.toBe(second); // a fresh authentication result each time
    const a = await first.connectorFactory!.create('http://127.0.0.1:9/', first.audience);
    const b = await second.connectorFactory!.create('http://127.0.0.1:9/', second.audience);
    const other = await second.connectorFactory!.create(
      'https://smba.trafficmanager.net/emea/',
      second.audience,
    );
    expect(b).toBe(a);
    expect(other).not.toBe(a);
    expect(await auth.createUserTokenClient(first.claimsIdentity)).toBe(
      await auth.createUserTokenClient(second.claimsIdentity),
    );
  });

  it('with credentials, a request without a valid token is still refused', async () => {
    const auth = new ReusedClientsAuthentication(
      new ConfigurationBotFrameworkAuthentication({
        MicrosoftAppId: '00000000-0000-0000-0000-000000000001',
        MicrosoftAppPassword: 'not-a-real-secret',
        MicrosoftAppType: 'MultiTenant',
      } as ConfigurationBotFrameworkAuthenticationOptions),
    );
    await expect(
      auth.authenticateRequest(activity('https://smba.trafficmanager.net/emea/'), ''),
    ).rejects.toThrow();
  });
});
