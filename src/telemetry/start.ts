import type { AzureMonitorOpenTelemetryOptions } from '@azure/monitor-opentelemetry';
import type { Logger } from '../log.js';
import { setTurnRecorder } from './turns.js';

/** How long stopping waits for the last export (an unreachable Application Insights is retried). */
const stopTimeoutMs = 5_000;

export interface Telemetry {
  /** Sends what is still buffered (for `stopTimeoutMs` at most), then stops. */
  stop(): Promise<void>;
}

/**
 * Application Insights through OpenTelemetry (`@azure/monitor-opentelemetry`), only when
 * APPLICATIONINSIGHTS_CONNECTION_STRING is set: without it nothing is loaded. What is sent is the turns' spans and
 * metrics (src/telemetry/openTelemetry.ts) and the distro's process metrics. Its automatic collection is off: the
 * HTTP and Azure SDK instrumentations would send request URLs, which hold conversation ids, user ids, storage keys
 * and report links; the database and logging libraries they instrument are not used here.
 */
export async function startTelemetry(
  config: { APPLICATIONINSIGHTS_CONNECTION_STRING?: string },
  logger: Logger,
  /** More destinations for the same data, beside Application Insights (the tests read it in memory). */
  also: Pick<AzureMonitorOpenTelemetryOptions, 'spanProcessors' | 'metricReaders'> = {},
): Promise<Telemetry | undefined> {
  const connectionString = config.APPLICATIONINSIGHTS_CONNECTION_STRING;
  if (!connectionString) return undefined;
  const { useAzureMonitor, shutdownAzureMonitor } = await import('@azure/monitor-opentelemetry');
  const off = { enabled: false };
  useAzureMonitor({
    ...also,
    azureMonitorExporterOptions: { connectionString },
    // every turn's span (the default, at most 5 a second, drops the first ones after start-up)
    samplingRatio: 1,
    tracesPerSecond: 0,
    enableLiveMetrics: false,
    browserSdkLoaderOptions: { enabled: false },
    instrumentationOptions: {
      http: off,
      azureSdk: off,
      mongoDb: off,
      mySql: off,
      postgreSql: off,
      redis: off,
      redis4: off,
      bunyan: off,
      winston: off,
    },
  });
  const { openTelemetryTurnRecorder } = await import('./openTelemetry.js');
  setTurnRecorder(openTelemetryTurnRecorder());
  logger.info('telemetry: turns sent to Application Insights');
  return {
    stop: async () => {
      setTurnRecorder(undefined);
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, stopTimeoutMs).unref()));
      const flushed = shutdownAzureMonitor().catch((err: unknown) => {
        logger.warn(
          { err: err instanceof Error ? err.message : String(err) },
          'telemetry: last export failed',
        );
      });
      await Promise.race([flushed, late]).finally(() => clearTimeout(timer));
    },
  };
}
