import type { Server } from 'restify';
import type { Config } from './config/config.js';
import { loadReferentials, type Referentials } from './domain/referential/load.js';
import type { Logger } from './log.js';
import { referentialDir } from './paths.js';
import { registerHealth } from './server/health.js';
import { createHttpServer } from './server/http.js';

export interface App {
  server: Server;
  config: Config;
  referentials: Referentials;
  /** The address the server listens on, e.g. http://127.0.0.1:3978 */
  url: string;
  close(): Promise<void>;
}

export async function startApp(config: Config, logger: Logger): Promise<App> {
  const referentials = loadReferentials(config.REFERENTIAL_DIR ?? referentialDir);
  const server = createHttpServer(logger);
  const startedAt = new Date().toISOString();
  registerHealth(server, () => ({ startedAt, storage: config.STORAGE, mode: config.localMode ? 'local' : 'azure' }));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.host, () => resolve());
  });
  const address = server.address();
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${address.port}`;
  logger.info({ url, storage: config.STORAGE, mode: config.localMode ? 'local' : 'azure' }, 'assistant listening');

  return {
    server,
    config,
    referentials,
    url,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
