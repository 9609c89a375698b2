import type { Server } from 'restify';
import { RouterDialog, type RouterExtension } from '../dialogs/routerDialog.js';
import { workspaceExtension } from '../dialogs/workspaceExtension.js';
import { resumeExtension } from '../dialogs/resumeExtension.js';
import { elusExtension } from '../dialogs/elusExtension.js';
import { privacyExtension } from '../dialogs/privacyExtension.js';
import { ElusAssistant } from './domain/elus/assistant.js';
import { elusArgumentsFor } from './reports/elusArguments.js';
import { scheduleRetention } from './privacy/retention.js';
import { cardChart } from './reports/cardChart.js';
import type { DialogDeps } from '../dialogs/deps.js';
import { AssistantBot } from './bot/assistantBot.js';
import { createAdapter, processRequest } from './bot/adapter.js';
import { registerChannels } from './channels/index.js';
import type { Config } from './config/config.js';
import { DiagnosticService } from './domain/diagnostics/service.js';
import { loadReferentials, type Referentials } from './domain/referential/load.js';
import type { Logger } from './log.js';
import { referentialDir } from './paths.js';
import { registerHealth } from './server/health.js';
import { registerReady } from './server/ready.js';
import { createHttpServer, frenchError } from './server/http.js';
import { checkActivity } from './server/limits.js';
import { registerPrivacyRoutes } from './server/privacyRoutes.js';
import { registerReportRoutes } from './server/reportRoutes.js';
import { closeServer, drain } from './server/shutdown.js';
import { createStorage } from './storage/createStorage.js';
import { StorageRecordStore } from './storage/storageRecordStore.js';
import { startTelemetry } from './telemetry/start.js';

export interface App {
  server: Server;
  config: Config;
  referentials: Referentials;
  service: DiagnosticService;
  /** The address the server listens on, e.g. http://127.0.0.1:3978 */
  url: string;
  /** Finishes the requests in flight (`drain`), then stops; false when some had to be cut. */
  close(): Promise<boolean>;
}

export async function startApp(config: Config, logger: Logger): Promise<App> {
  const telemetry = await startTelemetry(config, logger);
  const dir = config.REFERENTIAL_DIR ?? referentialDir;
  const referentials = loadReferentials(dir);
  const elus = ElusAssistant.load(dir);
  const storage = await createStorage(config);
  const service = new DiagnosticService(new StorageRecordStore(storage));
  const server = createHttpServer(logger);
  let url = '';

  const deps: DialogDeps = {
    referentials,
    service,
    logger,
    publicUrl: () => config.PUBLIC_URL ?? url,
    chart: cardChart(config.PUBLIC_URL ? { store: service.store } : {}),
  };
  const extensions: RouterExtension[] = [
    workspaceExtension(deps),
    resumeExtension(deps),
    privacyExtension(deps, storage),
    elusExtension(deps, elus),
  ];
  const bot = new AssistantBot(storage, new RouterDialog(deps, extensions));
  const adapter = createAdapter(config, logger);

  server.post('/api/messages', async (req, res) => {
    const refused = checkActivity(req.body);
    if (refused) return frenchError(res, refused.status, refused.code, refused.message);
    await processRequest(adapter, req, res, (context) => bot.run(context), logger);
  });
  const startedAt = new Date().toISOString();
  registerHealth(server, () => ({
    startedAt,
    storage: config.STORAGE,
    mode: config.localMode ? 'local' : 'azure',
  }));
  registerReady(server, { storage, kind: config.STORAGE, logger });
  registerReportRoutes(server, { service, referentials, logger, argumentsFor: elusArgumentsFor(elus) });
  registerPrivacyRoutes(server, { store: service.store, logger });
  const channels = registerChannels(server, { config, logger });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.host, () => resolve());
  });
  const address = server.address();
  url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${address.port}`;
  logger.info(
    { url, storage: config.STORAGE, mode: config.localMode ? 'local' : 'azure' },
    'assistant listening',
  );
  // Built after the server listens, a slice of training per turn of the event loop: /healthz and messages are served
  // meanwhile; a free question asked before the end finishes the training at once.
  setImmediate(() =>
    elus.warm().catch((err: unknown) => {
      logger.error({ err }, 'élus index not built in the background: it will be on the first free question');
    }),
  );
  const retention = scheduleRetention({ storage, days: config.RETENTION_DAYS, logger });

  return {
    server,
    config,
    referentials,
    service,
    url,
    close: async () => {
      // storage writes are awaited by the turns that make them: once no request is in flight, none is pending
      const drained = await drain(server, () => channels.busy());
      channels.close();
      retention.stop();
      await closeServer(server);
      await telemetry?.stop();
      return drained;
    },
  };
}
