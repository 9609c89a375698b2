/**
 * The benchmark's baseline: the bare Bot Framework stack the assistant is built on, with nothing of the assistant —
 * restify 11, CloudAdapter with empty credentials (local mode), an ActivityHandler that echoes, ConversationState on
 * MemoryStorage saved every turn, POST /api/messages and GET /healthz. Run by bench/run.ts as its own process:
 *
 *   PORT=4000 node --import tsx bench/baselineServer.ts
 */
import {
  ActivityHandler,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConversationState,
  MemoryStorage,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type TurnContext,
} from 'botbuilder';
import restify from 'restify';

class EchoBot extends ActivityHandler {
  private readonly turns;

  constructor(private readonly conversationState: ConversationState) {
    super();
    this.turns = conversationState.createProperty<number>('turns');
    this.onMessage(async (context, next) => {
      const turns = (await this.turns.get(context, 0)) + 1;
      await this.turns.set(context, turns);
      await context.sendActivity(`Écho ${turns} : ${context.activity.text ?? ''}`);
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await this.conversationState.saveChanges(context, false);
  }
}

const auth = new ConfigurationBotFrameworkAuthentication({
  MicrosoftAppId: '',
  MicrosoftAppPassword: '',
  MicrosoftAppType: '',
  MicrosoftAppTenantId: '',
} as ConfigurationBotFrameworkAuthenticationOptions);
const adapter = new CloudAdapter(auth);
adapter.onTurnError = async (context, error) => {
  console.error('baseline: turn failed', error);
  await context.sendActivity('erreur');
};
const bot = new EchoBot(new ConversationState(new MemoryStorage()));

const server = restify.createServer({ name: 'bench-baseline', handleUncaughtExceptions: false });
server.use(restify.plugins.bodyParser({ mapParams: false }) as never);
server.post('/api/messages', async (req, res) => {
  await adapter.process(req, res, (context) => bot.run(context));
});
server.get('/healthz', (_req, res, next) => {
  res.json({ status: 'ok' });
  return next();
});

const port = Number(process.env.PORT ?? 0);
server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  console.error(`baseline listening on http://127.0.0.1:${address.port}`);
});

const stop = () => server.close(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
