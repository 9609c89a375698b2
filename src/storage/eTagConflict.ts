/** The error every botbuilder storage (memory, blobs, lowdb) raises when a write carries an outdated eTag. */
export function eTagConflictError(key: string): Error {
  return new Error(`Storage: error writing "${key}" due to eTag conflict.`);
}

export function isETagConflict(error: unknown): boolean {
  return error instanceof Error && / due to eTag conflict\.$/.test(error.message);
}
