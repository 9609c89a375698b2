import { createHash } from 'node:crypto';

const fileExtension = '.json';
const hashedPrefix = '=';
const longestEncodedKey = 200;
const windowsDeviceName = /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/;
const loneSurrogate = /\p{Surrogate}/u;
const utf8 = new TextEncoder();

export type FileNameKey = { kind: 'encoded'; key: string } | { kind: 'hashed' };

/**
 * A file name for a storage key, the same on every file system: lower-case ASCII only (no clash on
 * case-insensitive disks), `%xx` for every other UTF-8 byte, and `=<sha256>.json` for keys too long to encode
 * or that are not valid Unicode. Distinct keys always get distinct names.
 */
export function fileNameForKey(key: string): string {
  const encoded = loneSurrogate.test(key) ? '' : encodeKey(key);
  if (encoded === '' || encoded.length > longestEncodedKey) {
    return hashedPrefix + createHash('sha256').update(key, 'utf16le').digest('hex') + fileExtension;
  }
  return encoded + fileExtension;
}

/** The key a file name stands for; `hashed` names must be opened to learn it, `undefined` is not a record file. */
export function keyForFileName(name: string): FileNameKey | undefined {
  if (!name.endsWith(fileExtension) || name.startsWith('.')) return undefined;
  const stem = name.slice(0, -fileExtension.length);
  if (stem.startsWith(hashedPrefix)) return /^=[0-9a-f]{64}$/.test(stem) ? { kind: 'hashed' } : undefined;
  let key: string;
  try {
    key = decodeURIComponent(stem);
  } catch {
    return undefined;
  }
  return fileNameForKey(key) === name ? { kind: 'encoded', key } : undefined;
}

function encodeKey(key: string): string {
  // every character but [a-z0-9_-] (and '.' after the first) as %xx of its UTF-8 bytes
  const encoded = key.replace(/^\.|[^a-z0-9_.-]/gu, percentEncode);
  return windowsDeviceName.test(encoded) ? percentEncode(encoded[0]!) + encoded.slice(1) : encoded;
}

/** `%xx` of each ASCII character, computed once: keys are mostly ASCII (`/`, `:`, capitals). */
const asciiEscapes = Array.from({ length: 128 }, (_, code) => '%' + code.toString(16).padStart(2, '0'));

function percentEncode(char: string): string {
  const code = char.charCodeAt(0);
  if (char.length === 1 && code < 128) return asciiEscapes[code]!;
  return Array.from(utf8.encode(char), (byte) => '%' + byte.toString(16).padStart(2, '0')).join('');
}
