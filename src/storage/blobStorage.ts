import type { TokenCredential } from '@azure/identity';
import { ContainerClient } from '@azure/storage-blob';
import { BlobsStorage, type BlobsStorageOptions } from 'botbuilder-azure-blobs';
import type { KeyLister, ListedKey } from './keyLister.js';

/**
 * How the bot reaches its Azure Storage account: a connection string (Azurite, an account key or a SAS), or the
 * account's URL and a Microsoft Entra ID credential (a managed identity on App Service).
 */
export type BlobAccess = { connectionString: string } | { accountUrl: string; credential: TokenCredential };

/**
 * The official `BlobsStorage` (botbuilder-azure-blobs), which also lists its keys. `BlobsStorage` names the blob of a
 * key `encodeURIComponent(key)` after dropping empty path segments (repeated and trailing `/`); a blob is listed
 * under its name decoded, a key that `BlobsStorage` maps to that same blob (`webchat/conversations/abc/` is listed as
 * `webchat/conversations/abc`).
 */
export class ListableBlobsStorage extends BlobsStorage implements KeyLister {
  /** The container this storage reads, writes and lists: its `url`, and its `credential` for a managed identity. */
  readonly container: ContainerClient;

  /** `access`: a connection string, or a `BlobAccess`. */
  constructor(access: string | BlobAccess, containerName: string, options?: BlobsStorageOptions) {
    const pipeline = options?.storagePipelineOptions;
    if (typeof access === 'string') access = { connectionString: access };
    if ('connectionString' in access) {
      super(access.connectionString, containerName, options);
      this.container = new ContainerClient(access.connectionString, containerName, pipeline);
    } else {
      const url = `${access.accountUrl.replace(/\/+$/, '')}/${encodeURIComponent(containerName)}`;
      super('', containerName, options, url, access.credential);
      this.container = new ContainerClient(url, access.credential, pipeline);
    }
  }

  async listKeys(prefix: string): Promise<ListedKey[]> {
    await this.read([]); // creates the container when it does not exist yet, as every BlobsStorage call does
    const listed: ListedKey[] = [];
    for await (const blob of this.container.listBlobsFlat({ prefix: encodeURIComponent(prefix) })) {
      const key = decodedName(blob.name);
      if (key?.startsWith(prefix)) listed.push({ key, modifiedAt: blob.properties.lastModified });
    }
    return listed;
  }
}

/** The key a blob name stands for; undefined for a name BlobsStorage did not make (or cut at 1,024 characters). */
function decodedName(name: string): string | undefined {
  try {
    const key = decodeURIComponent(name);
    return encodeURIComponent(key) === name ? key : undefined;
  } catch {
    return undefined;
  }
}
