import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Storage } from 'botbuilder';
import type { ListableBlobsStorage } from './blobStorage.js';
import type { KeyLister } from './keyLister.js';
import { LowdbStorage } from './lowdbStorage.js';
import { ListableMemoryStorage } from './memoryStorage.js';

export interface StorageConfig {
  STORAGE: 'lowdb' | 'blob' | 'memory';
  DATA_DIR: string;
  BLOB_CONNECTION_STRING?: string;
  BLOB_CONTAINER?: string;
}

export class StorageStartupError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StorageStartupError';
  }
}

const startupProbeRetries = { maxTries: 2, retryDelayInMs: 500, tryTimeoutInMs: 15_000 };

/** The storage STORAGE names; every one lists its keys (retention and erasure rely on it). */
export async function createStorage(config: StorageConfig): Promise<Storage & KeyLister> {
  switch (config.STORAGE) {
    case 'lowdb':
      return openLowdbDirectory(join(config.DATA_DIR, 'state'));
    case 'blob':
      return openBlobContainer(config);
    case 'memory':
      return new ListableMemoryStorage();
    default:
      throw new StorageStartupError(`storage: unknown STORAGE "${String(config.STORAGE satisfies never)}"`);
  }
}

async function openLowdbDirectory(directory: string): Promise<LowdbStorage> {
  try {
    await mkdir(directory, { recursive: true });
    await access(directory, constants.R_OK | constants.W_OK);
  } catch (err) {
    throw new StorageStartupError(
      `storage: cannot use ${resolve(directory)} (from DATA_DIR) for lowdb storage: ${reasonOf(err)}`,
      { cause: err },
    );
  }
  return new LowdbStorage(directory);
}

async function openBlobContainer(config: StorageConfig): Promise<ListableBlobsStorage> {
  const { BLOB_CONNECTION_STRING: connectionString, BLOB_CONTAINER: container } = config;
  if (!connectionString || !container) {
    throw new StorageStartupError('storage: STORAGE=blob needs BLOB_CONNECTION_STRING and BLOB_CONTAINER');
  }
  const hideSecrets = secretRedactor(connectionString);
  // loaded only when STORAGE=blob: the Azure SDK costs ≈100 ms of every other server's cold start
  const { ListableBlobsStorage } = await import('./blobStorage.js');
  let probe: ListableBlobsStorage;
  try {
    probe = new ListableBlobsStorage(connectionString, container, {
      storagePipelineOptions: { retryOptions: startupProbeRetries },
    });
  } catch (err) {
    throw new StorageStartupError(
      `storage: BLOB_CONNECTION_STRING is not a usable Azure Storage connection string: ${hideSecrets(reasonOf(err))}`,
    );
  }
  try {
    await probe.read([]);
  } catch (err) {
    throw new StorageStartupError(
      `storage: cannot open or create the blob container "${container}" (BLOB_CONTAINER) ` +
        `at ${describeAccount(connectionString)}: ${hideSecrets(reasonOf(err))}`,
    );
  }
  return new ListableBlobsStorage(connectionString, container);
}

function connectionStringSettings(connectionString: string): Map<string, string> {
  const settings = new Map<string, string>();
  for (const part of connectionString.split(';')) {
    const equals = part.indexOf('=');
    if (equals > 0) settings.set(part.slice(0, equals).trim().toLowerCase(), part.slice(equals + 1).trim());
  }
  return settings;
}

function describeAccount(connectionString: string): string {
  const settings = connectionStringSettings(connectionString);
  return (
    settings.get('blobendpoint') ??
    (settings.has('accountname')
      ? `account ${settings.get('accountname')}`
      : 'the BLOB_CONNECTION_STRING endpoint')
  );
}

function secretRedactor(connectionString: string): (text: string) => string {
  const settings = connectionStringSettings(connectionString);
  const secrets = ['accountkey', 'sharedaccesssignature']
    .map((name) => settings.get(name))
    .filter((secret): secret is string => !!secret && secret.length >= 8);
  return (text) => secrets.reduce((redacted, secret) => redacted.split(secret).join('[redacted]'), text);
}

function reasonOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: unknown }).code;
  const firstLine = err.message.split('\n')[0] ?? err.message;
  return typeof code === 'string' && !firstLine.includes(code) ? `${firstLine} (${code})` : firstLine;
}
