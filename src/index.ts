import 'dotenv/config';
import { ConfigError, loadConfig, type Config } from './config/config.js';
import { ReferentialError } from './domain/referential/load.js';
import { createLogger } from './log.js';
import { startApp } from './app.js';

/** Why the server could not listen, said like the configuration errors (they exit with the same code). */
const listenProblems: Record<string, (config: Config) => string> = {
  EADDRINUSE: ({ PORT, host }) =>
    `le port ${PORT} est déjà utilisé sur ${host} : arrêtez l'autre programme ou choisissez un autre PORT / ` +
    `port ${PORT} is already in use`,
  EADDRNOTAVAIL: ({ host }) =>
    `${host} n'est pas une adresse de cette machine : corrigez HOST / address ${host} is not available here`,
};

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
    const listenProblem = listenProblems[(err as NodeJS.ErrnoException).code ?? '']?.(config);
    if (listenProblem && (err as NodeJS.ErrnoException).syscall === 'listen') {
      console.error(`server: ${listenProblem}`);
      process.exit(2);
    }
    logger.fatal({ err }, 'start-up failed');
    process.exit(1);
  }
}

void main();
