/**
 * The format of one record file: JSON Lines, one **version** of the record per line, the last complete line being
 * the current one. A new version is one append (`{"key":…,"item":…}\n`); compaction rewrites the file down to its
 * last version (temporary file + rename). A file holding a single JSON document — pretty-printed or not, with or
 * without a final newline, as earlier versions wrote and as a person may save it — reads as that document.
 *
 * Why appends: on this project's machines (ext4) replacing a small file by temporary file + rename costs about
 * 0.9 ms of kernel time, an append about 10 µs (docs/benchmarks.md). Atomicity holds the same way: a version is
 * whole or absent; an append cut short by a crash leaves a line without its newline, which the reader skips (the
 * previous version stands) and the next append starts on a new line.
 */

export interface LatestVersion {
  /** The current version's JSON text. */
  json: string;
  /** The parsed current version. */
  value: unknown;
  /** Versions the file holds (1 for a single document). */
  versions: number;
  /** The file ends with a newline: the next version can be appended as is. */
  cleanEnd: boolean;
}

/** `accept` says whether a parsed value is a record of this file (shape, key); undefined when nothing is. */
export function latestVersion(text: string, accept: (value: unknown) => boolean): LatestVersion | undefined {
  const cleanEnd = text.endsWith('\n');
  // complete lines only: a tail without its newline is an append a crash cut short (or a one-document file)
  const complete = cleanEnd ? text : text.slice(0, text.lastIndexOf('\n') + 1);
  const trimmed = complete.trimEnd();
  if (trimmed !== '') {
    const json = trimmed.slice(trimmed.lastIndexOf('\n') + 1);
    const value = tryParse(json);
    if (value !== undefined && accept(value)) {
      return { json, value, versions: countVersions(trimmed), cleanEnd };
    }
  }
  const whole = tryParse(text);
  if (whole !== undefined && accept(whole)) {
    return { json: JSON.stringify(whole), value: whole, versions: 1, cleanEnd };
  }
  return undefined;
}

/** Why `text` holds no record: the JSON error of its last complete line or of the whole text. */
export function unreadableReason(text: string): string {
  try {
    JSON.parse(text);
  } catch (err) {
    const lines = text.split('\n').filter((line) => line.trim() !== '');
    if (lines.length > 1) {
      try {
        JSON.parse(lines.at(-1)!);
      } catch (lineErr) {
        return `last line: ${message(lineErr)}`;
      }
    }
    return message(err);
  }
  return 'expected {"key": "...", "item": {..., "eTag": "..."}}';
}

/** One version as it is appended: its JSON, then a newline (and a newline before when the file ends mid-line). */
export function versionLine(json: string, startOnNewLine: boolean): string {
  return startOnNewLine ? `\n${json}\n` : `${json}\n`;
}

function countVersions(trimmed: string): number {
  let count = 0;
  let start = 0;
  for (;;) {
    const end = trimmed.indexOf('\n', start);
    const line = end === -1 ? trimmed.slice(start) : trimmed.slice(start, end);
    if (line.trim() !== '') count++;
    if (end === -1) return count;
    start = end + 1;
  }
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
