/** A stored key, and when its item was last written. */
export interface ListedKey {
  key: string;
  modifiedAt: Date;
}

/** A storage that can list what it holds: retention and erasure find every record through it, whatever STORAGE is. */
export interface KeyLister {
  /** Every stored key that starts with `prefix`. */
  listKeys(prefix: string): Promise<ListedKey[]>;
}
