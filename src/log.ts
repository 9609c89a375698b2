import { pino, type Logger } from 'pino';

export type { Logger };

/** Secrets and personal data never reach the logs. */
export const redactedPaths = [
  'MicrosoftAppPassword',
  'DIRECT_LINE_SECRET',
  'BLOB_CONNECTION_STRING',
  'config.MicrosoftAppPassword',
  'config.DIRECT_LINE_SECRET',
  'config.BLOB_CONNECTION_STRING',
  'req.headers.authorization',
  'headers.authorization',
  'authorization',
  'token',
  '*.token',
  'text',
  '*.text',
  'activity.text',
  'activity.value',
  'activity.from.name',
  'collectivite.name',
  'userName',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    { level, redact: { paths: redactedPaths, censor: '[redacted]' }, base: { app: 'assistant-maturite' } },
    destination,
  );
}
