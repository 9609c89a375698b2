import type { AddressInfo } from 'node:net';
import type { Server } from 'restify';
import type { Config } from '../config/config.js';
import type { Logger } from '../log.js';
import { clientAddressResolver } from '../server/clientAddress.js';
import { azureDirectLineDomain } from './directline/azure.js';
import { LocalDirectLine, type DirectLineLimits } from './directline/localDirectLine.js';
import { registerTokenEndpoint, type TokenSource } from './directline/tokenEndpoint.js';
import { registerLegalPages, type LegalSettingName } from './web/legalPages.js';
import { registerWebPage } from './web/page.js';

export interface ChannelsOptions {
  config: Pick<
    Config,
    'MicrosoftAppId' | 'DIRECT_LINE_SECRET' | 'PUBLIC_URL' | 'localMode' | 'RETENTION_DAYS'
  > &
    Partial<Pick<Config, 'TRUST_PROXY' | 'DIRECT_LINE_DOMAIN'>> &
    Partial<Pick<Config, LegalSettingName | 'STORAGE' | 'APPLICATIONINSIGHTS_CONNECTION_STRING'>>;
  logger: Logger;
  limits?: Partial<DirectLineLimits>;
}

export interface Channels {
  /** `local`: this server's Direct Line; `azure`: tokens exchanged with Azure; `none`: no web chat. */
  webChat: TokenSource['kind'];
  directLine?: LocalDirectLine;
  /** True while the local Direct Line has activities on their way to the bot. */
  busy(): boolean;
  close(): void;
}

/**
 * The web channel: the page at `/` and its legal pages (`/accessibilite`, `/mentions-legales`, `/confidentialite`), Web Chat's bundle, `/api/directline/token`, and — with no Direct Line secret,
 * in local mode — a Direct Line 3.0 service of our own (see `LocalDirectLine`).
 */
export function registerChannels(server: Server, options: ChannelsOptions): Channels {
  const { config, logger } = options;
  const clientAddress = clientAddressResolver(config.TRUST_PROXY ?? { hops: 0 });
  // Azure Direct Line base: the global one, or the bot's region's (`https://europe.directline.botframework.com/v3/directline`)
  const azureDomain = config.DIRECT_LINE_DOMAIN ?? azureDirectLineDomain;
  registerWebPage(server, {
    retentionDays: config.RETENTION_DAYS,
    localMode: config.localMode,
    directLineDomain: config.DIRECT_LINE_SECRET ? azureDomain : undefined,
  });
  registerLegalPages(server, { config, logger });

  let source: TokenSource;
  if (config.DIRECT_LINE_SECRET) {
    source = { kind: 'azure', secret: config.DIRECT_LINE_SECRET, domain: azureDomain };
  } else if (config.localMode) {
    const directLine = new LocalDirectLine({
      logger,
      bot: { id: config.MicrosoftAppId ?? 'assistant-maturite', name: 'Assistant' },
      internalUrl: () => internalUrl(server),
      publicUrl: config.PUBLIC_URL,
      limits: options.limits,
      clientAddress,
    });
    directLine.register(server);
    source = { kind: 'local', directLine };
  } else {
    source = { kind: 'none' };
  }
  registerTokenEndpoint(server, source, logger, clientAddress);

  return {
    webChat: source.kind,
    directLine: source.kind === 'local' ? source.directLine : undefined,
    busy: () => source.kind === 'local' && source.directLine.busy,
    close: () => {
      if (source.kind === 'local') source.directLine.close();
    },
  };
}

/** How this server reaches itself: loopback on its listening port. */
function internalUrl(server: Server): string {
  const address = server.address() as AddressInfo | null;
  if (!address) throw new Error('channels: the server is not listening yet');
  const host = address.family === 'IPv6' && address.address !== '::' ? `[${address.address}]` : '127.0.0.1';
  return `http://${host}:${address.port}`;
}
