import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Storage } from 'botbuilder';
import type { BlobAccess, ListableBlobsStorage } from './blobStorage.js';
import type { KeyLister } from './keyLister.js';
import { LowdbStorage } from './lowdbStorage.js';
import { ListableMemoryStorage } from './memoryStorage.js';

export interface StorageConfig {
  STORAGE: 'lowdb' | 'blob' | 'memory';
  DATA_DIR: string;
  BLOB_CONNECTION_STRING?: string;
  /** `https://<account>.blob.core.windows.net`, reached with `DefaultAzureCredential` (a managed identity on Azure). */
  BLOB_ACCOUNT_URL?: string;
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
  const container = config.BLOB_CONTAINER;
  if (!container || !config.BLOB_CONNECTION_STRING === !config.BLOB_ACCOUNT_URL) {
    throw new StorageStartupError(
      'storage: STORAGE=blob needs BLOB_CONTAINER and one of BLOB_CONNECTION_STRING or BLOB_ACCOUNT_URL',
    );
  }
  // loaded only when STORAGE=blob: the Azure SDK costs ≈100 ms of every other server's cold start
  const { ListableBlobsStorage } = await import('./blobStorage.js');
  const access = await blobAccess(config);
  const where = describeAccess(access);
  const hideSecrets = secretRedactor(access);
  let probe: ListableBlobsStorage;
  try {
    probe = new ListableBlobsStorage(access, container, {
      storagePipelineOptions: { retryOptions: startupProbeRetries },
    });
  } catch (err) {
    const unusable =
      'connectionString' in access
        ? 'BLOB_CONNECTION_STRING is not a usable Azure Storage connection string'
        : 'BLOB_ACCOUNT_URL is not a usable Azure Storage account URL';
    throw new StorageStartupError(`storage: ${unusable}: ${hideSecrets(reasonOf(err))}`);
  }
  try {
    await probe.read([]);
  } catch (err) {
    throw new StorageStartupError(
      `storage: cannot open or create the blob container "${container}" (BLOB_CONTAINER) at ${where}: ` +
        hideSecrets(reasonOf(err)) +
        ('credential' in access ? managedIdentityHint : ''),
    );
  }
  return new ListableBlobsStorage(access, container);
}

const managedIdentityHint =
  ' — with BLOB_ACCOUNT_URL the server signs in with its managed identity (AZURE_CLIENT_ID names a user-assigned ' +
  'one), which needs the "Storage Blob Data Contributor" role on the account or the container (docs/deploy.md)';

/**
 * The connection string when BLOB_CONNECTION_STRING is set; otherwise BLOB_ACCOUNT_URL with `DefaultAzureCredential`:
 * on App Service, the managed identity (the user-assigned one whose client id AZURE_CLIENT_ID gives, which the
 * credential reads itself); on a developer's machine, `az login`.
 */
export async function blobAccess(config: StorageConfig): Promise<BlobAccess> {
  if (config.BLOB_CONNECTION_STRING) return { connectionString: config.BLOB_CONNECTION_STRING };
  if (!config.BLOB_ACCOUNT_URL) throw new StorageStartupError('storage: BLOB_ACCOUNT_URL is not set');
  const { DefaultAzureCredential } = await import('@azure/identity');
  return { accountUrl: config.BLOB_ACCOUNT_URL, credential: new DefaultAzureCredential() };
}

function describeAccess(access: BlobAccess): string {
  return 'accountUrl' in access
    ? `${access.accountUrl} (BLOB_ACCOUNT_URL, managed identity)`
    : describeAccount(access.connectionString);
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

/** Hides the connection string's key or SAS, and the client secret `DefaultAzureCredential` may read from the environment. */
function secretRedactor(access: BlobAccess): (text: string) => string {
  const settings =
    'connectionString' in access ? connectionStringSettings(access.connectionString) : new Map();
  const secrets = [
    settings.get('accountkey'),
    settings.get('sharedaccesssignature'),
    process.env.AZURE_CLIENT_SECRET,
  ].filter((secret): secret is string => !!secret && secret.length >= 8);
  return (text) => secrets.reduce((redacted, secret) => redacted.split(secret).join('[redacted]'), text);
}

/** The first line of an error (a storage error may carry a whole XML body); a credential says why each way failed. */
function reasonOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  if (/AuthenticationError|CredentialUnavailableError/.test(err.name)) {
    return err.message.split('\n').filter(Boolean).join(' ; ').slice(0, 2000);
  }
  const code = (err as { code?: unknown }).code;
  const firstLine = err.message.split('\n')[0] ?? err.message;
  return typeof code === 'string' && !firstLine.includes(code) ? `${firstLine} (${code})` : firstLine;
}
