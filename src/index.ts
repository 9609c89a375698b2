import 'dotenv/config';
import { ConfigError, loadConfig } from './config/config.js';
import { ReferentialError } from './domain/referential/load.js';
import { createLogger } from './log.js';
import { startApp } from './app.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.LOG_LEVEL);
  try {
    const app = await startApp(config, logger);
    // once: a second signal stops the process at once
    const shutdown = (signal: string) => {
      const startedAt = Date.now();
      logger.info({ signal }, 'shutting down: finishing the requests in flight');
      app.close().then(
        (drained) => {
          const ms = Date.now() - startedAt;
          if (drained) logger.info({ ms }, 'shut down');
          else logger.warn({ ms }, 'shut down: requests still in flight after the grace period were cut');
          process.exit(drained ? 0 : 1);
        },
        (err: unknown) => {
          logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  } catch (err) {
    if (err instanceof ReferentialError) {
      console.error(err.message);
      process.exit(3);
    }
    logger.fatal({ err }, 'start-up failed');
    process.exit(1);
  }
}

void main();
