import type { AddressInfo } from 'node:net';
import {
  ActivityHandler,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type Request as BotRequest,
  type Response as BotResponse,
} from 'botbuilder';
import type { Server } from 'restify';
import { registerChannels, type Channels, type ChannelsOptions } from '../../src/channels/index.js';
import { createLogger } from '../../src/log.js';
import { createHttpServer } from '../../src/server/http.js';

/** A bot of a few lines, replying through the Connector API to `serviceUrl` like the real one. */
class EchoBot extends ActivityHandler {
  constructor() {
    super();
    this.onMembersAdded(async (context, next) => {
      for (const member of context.activity.membersAdded ?? []) {
        if (member.id !== context.activity.recipient.id) await context.sendActivity('Bienvenue !');
      }
      await next();
    });
    this.onMessage(async (context, next) => {
      const text = context.activity.text ?? '';
      if (text === 'tape') await context.sendActivity({ type: 'typing' });
      if (text === 'modifie') {
        const sent = await context.sendActivity('première version');
        await context.updateActivity({ id: sent?.id, type: 'message', text: 'seconde version' });
        return next();
      }
      await context.sendActivity(`écho : ${text || JSON.stringify(context.activity.value)}`);
      await next();
    });
  }
}

export interface EchoServer {
  url: string;
  server: Server;
  channels: Channels;
  /** Activities the bot received, in order. */
  received: {
    type?: string;
    channelId?: string;
    text?: string;
    from?: { id: string };
    serviceUrl?: string;
  }[];
  close(): Promise<void>;
}

export async function startEchoServer(
  options: {
    config?: Partial<ChannelsOptions['config']>;
    limits?: ChannelsOptions['limits'];
  } = {},
): Promise<EchoServer> {
  const logger = createLogger('silent');
  const server = createHttpServer(logger);
  const channels = registerChannels(server, {
    config: { localMode: true, RETENTION_DAYS: 730, ...options.config },
    logger,
    limits: options.limits,
  });
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const bot = new EchoBot();
  const received: EchoServer['received'] = [];
  server.post('/api/messages', async (req, res) => {
    received.push(req.body as EchoServer['received'][number]);
    await adapter.process(req as unknown as BotRequest, res as unknown as BotResponse, (context) =>
      bot.run(context),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    channels,
    received,
    close: async () => {
      channels.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
