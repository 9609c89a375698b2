import type { Activity } from 'botbuilder';
import {
  BotFrameworkAuthentication,
  type AuthenticateRequestResult,
  type BotFrameworkClient,
  type ClaimsIdentity,
  type ConnectorClient,
  type ConnectorFactory,
  type UserTokenClient,
} from 'botframework-connector';

const maxClients = 64;

/** A Map that forgets its oldest entry past `maxClients`. */
function remember<T>(cache: Map<string, T>, key: string, value: T): T {
  if (cache.size >= maxClients) cache.delete(cache.keys().next().value!);
  cache.set(key, value);
  return value;
}

/**
 * `CloudAdapter` asks its authentication for a new `ConnectorClient` and `UserTokenClient` on every activity, and
 * each builds an Azure HTTP pipeline (about a tenth of a turn's CPU here). These are reused per bot app id,
 * service URL and audience — as the older `BotFrameworkAdapter` did: a client holds no per-turn state, and its
 * credentials fetch and refresh their own tokens. Authentication itself is untouched: every request is still
 * checked by the wrapped `BotFrameworkAuthentication`.
 */
export class ReusedClientsAuthentication extends BotFrameworkAuthentication {
  private readonly connectorClients = new Map<string, Promise<ConnectorClient>>();
  private readonly userTokenClients = new Map<string, Promise<UserTokenClient>>();

  constructor(private readonly inner: BotFrameworkAuthentication) {
    super();
  }

  override async authenticateRequest(
    activity: Activity,
    authHeader: string,
  ): Promise<AuthenticateRequestResult> {
    return this.reusing(await this.inner.authenticateRequest(activity, authHeader));
  }

  override async authenticateStreamingRequest(
    authHeader: string,
    channelIdHeader: string,
  ): Promise<AuthenticateRequestResult> {
    return this.reusing(await this.inner.authenticateStreamingRequest(authHeader, channelIdHeader));
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.reusingFactory(this.inner.createConnectorFactory(claimsIdentity), appIdOf(claimsIdentity));
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    const key = appIdOf(claimsIdentity);
    const cached = this.userTokenClients.get(key);
    if (cached) return cached;
    const created = this.inner.createUserTokenClient(claimsIdentity);
    created.catch(() => this.userTokenClients.delete(key));
    return remember(this.userTokenClients, key, created);
  }

  override createBotFrameworkClient(): BotFrameworkClient {
    return this.inner.createBotFrameworkClient();
  }

  override getOriginatingAudience(): string {
    return this.inner.getOriginatingAudience();
  }

  override authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    return this.inner.authenticateChannelRequest(authHeader);
  }

  private reusing(result: AuthenticateRequestResult): AuthenticateRequestResult {
    if (!result.connectorFactory) return result;
    return {
      ...result,
      connectorFactory: this.reusingFactory(result.connectorFactory, appIdOf(result.claimsIdentity)),
    };
  }

  private reusingFactory(factory: ConnectorFactory, appId: string): ConnectorFactory {
    return {
      create: (serviceUrl: string, audience?: string) => {
        const key = `${appId}\n${serviceUrl}\n${audience ?? ''}`;
        const cached = this.connectorClients.get(key);
        if (cached) return cached;
        const created = factory.create(serviceUrl, audience);
        created.catch(() => this.connectorClients.delete(key));
        return remember(this.connectorClients, key, created);
      },
    };
  }
}

/** The bot app id a request is for (empty in local mode, where requests carry no token). */
function appIdOf(claimsIdentity: ClaimsIdentity): string {
  const claim = (type: string) => claimsIdentity.claims.find((c) => c.type === type)?.value;
  return claim('aud') ?? claim('appid') ?? claim('azp') ?? '';
}
