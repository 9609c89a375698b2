import { ContainerClient } from '@azure/storage-blob';
import { BlobsStorage, type BlobsStorageOptions } from 'botbuilder-azure-blobs';
import type { KeyLister, ListedKey } from './keyLister.js';

/**
 * The official `BlobsStorage` (botbuilder-azure-blobs), which also lists its keys. `BlobsStorage` names the blob of a
 * key `encodeURIComponent(key)` after dropping empty path segments (repeated and trailing `/`); a blob is listed
 * under its name decoded, a key that `BlobsStorage` maps to that same blob (`webchat/conversations/abc/` is listed as
 * `webchat/conversations/abc`).
 */
export class ListableBlobsStorage extends BlobsStorage implements KeyLister {
  readonly #container: ContainerClient;

  constructor(connectionString: string, containerName: string, options?: BlobsStorageOptions) {
    super(connectionString, containerName, options);
    this.#container = new ContainerClient(connectionString, containerName, options?.storagePipelineOptions);
  }

  async listKeys(prefix: string): Promise<ListedKey[]> {
    await this.read([]); // creates the container when it does not exist yet, as every BlobsStorage call does
    const listed: ListedKey[] = [];
    for await (const blob of this.#container.listBlobsFlat({ prefix: encodeURIComponent(prefix) })) {
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
