/** A stored record that exists but cannot be read (hand edit, truncated file, wrong shape): repair or delete it. */
export class StorageCorruptionError extends Error {
  constructor(
    /** The file (lowdb) or blob name (Blob storage) of the record. */
    readonly file: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(
      `storage: cannot read ${file}: ${reason}. Repair or delete this record; other records are not affected.`,
      options,
    );
    this.name = 'StorageCorruptionError';
  }
}
