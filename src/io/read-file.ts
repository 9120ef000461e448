/**
 * Reading files that come from outside (model directories, audio, weights) with bounded
 * resources and errors that never quote the file:
 *
 * - only regular files are read: a FIFO, a device (`/dev/zero`) or a directory is refused
 *   before a byte is read (the file is opened non-blocking, so a FIFO cannot hang the open);
 * - a file larger than `maxBytes` is refused from its size alone;
 * - with `followSymlinks: false` (model files) a symbolic link is refused (O_NOFOLLOW);
 * - errors name the file and what it was read as, and never echo its content (a JSON error
 *   gives the position, not the text around it: a symlinked model.json must not leak
 *   /etc/shadow into a message).
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { parseJson } from './json.ts';

export { parseJson } from './json.ts';

/** 2 GiB: Node's limit for one buffer, and the largest input sori reads whole. */
export const MAX_FILE_BYTES = 2 ** 31 - 1;

export interface ReadOptions {
  /** What the file is, for messages ('model.json', 'audio file', …). */
  what?: string;
  /** Refuse files larger than this (default MAX_FILE_BYTES). */
  maxBytes?: number;
  /** Follow a symbolic link at `path` (default true); false refuses one. */
  followSymlinks?: boolean;
}

function describe(path: string, what?: string): string {
  return what ? `${what} '${path}'` : `'${path}'`;
}

/** The bytes of the regular file `path` (see the module comment for what is refused). */
export function readRegularFile(path: string, { what, maxBytes = MAX_FILE_BYTES, followSymlinks = true }: ReadOptions = {}): Uint8Array {
  const name = describe(path, what);
  let fd: number;
  try {
    const flags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (followSymlinks ? 0 : (constants.O_NOFOLLOW ?? 0));
    fd = openSync(path, flags);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const fault = (message: string) => Object.assign(new Error(message), { code });
    if (code === 'ENOENT') throw fault(`${name} does not exist`);
    if (code === 'ELOOP' && !followSymlinks) throw fault(`${name} is a symbolic link: model files must be regular files`);
    throw fault(`cannot open ${name}: ${code ?? (err as Error).message}`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) {
      const kind = stat.isDirectory() ? 'a directory' : stat.isFIFO() ? 'a FIFO' : stat.isCharacterDevice() || stat.isBlockDevice() ? 'a device' : 'not a regular file';
      throw new Error(`${name} is ${kind}: only regular files are read`);
    }
    if (stat.size > maxBytes) throw new Error(`${name} is ${stat.size} bytes, more than the ${maxBytes} read at most`);
    const out = Buffer.allocUnsafe(stat.size);
    let at = 0;
    while (at < out.length) {
      const n = readSync(fd, out, at, out.length - at, at);
      if (n === 0) break; // the file shrank while being read
      at += n;
    }
    if (at !== out.length) throw new Error(`${name} changed size while being read (${at} of ${out.length} bytes)`);
    return out;
  } finally {
    closeSync(fd);
  }
}

/**
 * The longest text read whole: V8's longest string (2^29 − 24 UTF-16 units on 64-bit Node); a
 * UTF-8 file of at most this many bytes always fits in one.
 */
export const MAX_TEXT_BYTES = 2 ** 29 - 24;

/**
 * The text of the regular UTF-8 file `path` (at most `maxBytes`, default MAX_TEXT_BYTES). Bytes
 * that are not UTF-8 (a binary file, a file cut inside a character) are an error naming the file
 * and the byte offset, never quoting it.
 */
export function readTextFile(path: string, options: ReadOptions = {}): string {
  return decodeUtf8(readRegularFile(path, { maxBytes: MAX_TEXT_BYTES, ...options }), describe(path, options.what));
}

/** `bytes` as UTF-8 text; invalid bytes are an error naming `source` and the first bad offset. */
export function decodeUtf8(bytes: Uint8Array, source: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
    const bad = text.indexOf('\uFFFD');
    const at = bad < 0 ? '' : ` (at byte ${Buffer.byteLength(text.slice(0, bad), 'utf8')})`;
    throw new Error(`${source} is not UTF-8 text${at}`);
  }
}

export interface JsonReadOptions<T> extends ReadOptions {
  /**
   * Checks the parsed value and gives what it describes (e.g. `Vocabulary.fromJSON`); its error
   * is prefixed with the file's name, so "expected { level, tokens }" says which file.
   */
  as?: (json: unknown) => T;
}

function checked<T>(json: unknown, name: string, as?: (json: unknown) => T): T {
  if (!as) return json as T;
  try {
    return as(json);
  } catch (err) {
    throw new Error(`${name}: ${(err as Error).message}`);
  }
}

/** Read and parse a JSON file (a regular file of at most `maxBytes`, default 64 MiB). */
export function readJsonFile<T = unknown>(path: string, options: JsonReadOptions<T> = {}): T {
  const name = describe(path, options.what);
  const text = decodeUtf8(readRegularFile(path, { maxBytes: 64 * 2 ** 20, ...options }), name);
  return checked(parseJson(text, name), name, options.as);
}

/**
 * The JSON lines of `path` (one JSON value per line, blank lines skipped), each checked by `as`;
 * a bad line is an error naming the file and the line number (a file cut off by a kill ends in
 * half a line), never quoting it.
 */
export function readJsonLines<T = unknown>(path: string, options: JsonReadOptions<T> = {}): T[] {
  const name = describe(path, options.what);
  const lines = readTextFile(path, options).split('\n');
  const out: T[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    out.push(checked(parseJson(line, `${name} line ${i + 1}`), `${name} line ${i + 1}`, options.as));
  });
  return out;
}
