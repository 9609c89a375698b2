import { DefaultAzureCredential } from '@azure/identity';
import { StorageSharedKeyCredential } from '@azure/storage-blob';
import { BlobsStorage } from 'botbuilder-azure-blobs';
import { afterEach, describe, expect, it } from 'vitest';
import { ListableBlobsStorage } from '../../src/storage/blobStorage.js';
import { blobAccess, createStorage, StorageStartupError } from '../../src/storage/createStorage.js';
import { azuriteAccountKey, azuriteConnectionString } from '../helpers/azurite.js';

const accountUrl = 'https://moncompte.blob.core.windows.net';
const identityEnv = ['AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET', 'AZURE_AUTHORITY_HOST'];

afterEach(() => {
  for (const name of identityEnv) delete process.env[name];
});

describe('which Blob client STORAGE=blob builds from which setting', () => {
  it('BLOB_CONNECTION_STRING: the connection string, with its account key', async () => {
    const connectionString = azuriteConnectionString(10000);
    const access = await blobAccess({
      STORAGE: 'blob',
      DATA_DIR: 'x',
      BLOB_CONNECTION_STRING: connectionString,
    });
    expect(access).toEqual({ connectionString });

    const storage = new ListableBlobsStorage(access, 'assistant');
    expect(storage).toBeInstanceOf(BlobsStorage);
    expect(storage.container.url).toBe('http://127.0.0.1:10000/devstoreaccount1/assistant');
    expect(storage.container.credential).toBeInstanceOf(StorageSharedKeyCredential);
  });

  it('BLOB_ACCOUNT_URL: the account URL and DefaultAzureCredential (the managed identity on Azure), no key', async () => {
    const access = await blobAccess({ STORAGE: 'blob', DATA_DIR: 'x', BLOB_ACCOUNT_URL: accountUrl });
    expect(access).toEqual({ accountUrl, credential: expect.any(DefaultAzureCredential) });

    const storage = new ListableBlobsStorage(access, 'assistant');
    expect(storage).toBeInstanceOf(BlobsStorage);
    expect(storage.container.url).toBe(`${accountUrl}/assistant`);
    expect(storage.container.credential).toBe('credential' in access ? access.credential : undefined);
    expect(storage.container.accountName).toBe('moncompte');
  });
});

describe('STORAGE=blob with BLOB_ACCOUNT_URL, when no identity can sign in', () => {
  const config = {
    STORAGE: 'blob' as const,
    DATA_DIR: 'unused',
    // nothing listens on port 9: no request would get an answer anyway
    BLOB_ACCOUNT_URL: 'https://127.0.0.1:9/devstoreaccount1',
    BLOB_CONTAINER: 'assistant',
  };

  it('refuses to start, naming BLOB_ACCOUNT_URL, why the credential failed and what the identity needs', async () => {
    const failure = createStorage(config);
    await expect(failure).rejects.toBeInstanceOf(StorageStartupError);
    const message = ((await failure.catch((err: unknown) => err)) as Error).message;
    expect(message).toContain(
      'cannot open or create the blob container "assistant" (BLOB_CONTAINER) at ' +
        'https://127.0.0.1:9/devstoreaccount1 (BLOB_ACCOUNT_URL, managed identity)',
    );
    expect(message).toContain('ManagedIdentityCredential');
    expect(message).toContain('AZURE_CLIENT_ID');
    expect(message).toContain('"Storage Blob Data Contributor" role');
  });

  it('never repeats the client secret DefaultAzureCredential reads from the environment', async () => {
    const secret = 'Secret~DeClient.QuiNeDoitPasSortir_42';
    process.env.AZURE_TENANT_ID = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
    process.env.AZURE_CLIENT_ID = '7d3c9a10-5b1e-4c2f-9a8d-0e6f4b2c1a90';
    process.env.AZURE_CLIENT_SECRET = secret;
    process.env.AZURE_AUTHORITY_HOST = 'https://127.0.0.1:9';

    const error = (await createStorage(config).catch((err: unknown) => err)) as Error;
    expect(error).toBeInstanceOf(StorageStartupError);
    expect(error.message).toContain('EnvironmentCredential');
    expect(error.message).not.toContain(secret);
    expect(JSON.stringify(error)).not.toContain(secret);
  });

  it('needs BLOB_CONTAINER and exactly one of the two ways in', async () => {
    const needs = 'STORAGE=blob needs BLOB_CONTAINER and one of BLOB_CONNECTION_STRING or BLOB_ACCOUNT_URL';
    await expect(createStorage({ ...config, BLOB_CONTAINER: undefined })).rejects.toThrow(needs);
    await expect(createStorage({ ...config, BLOB_ACCOUNT_URL: undefined })).rejects.toThrow(needs);
    const both = createStorage({ ...config, BLOB_CONNECTION_STRING: azuriteConnectionString(9) });
    await expect(both).rejects.toThrow(needs);
    await expect(both).rejects.not.toThrow(azuriteAccountKey);
  });
});
