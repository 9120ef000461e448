/**
 * `-` means standard input, as in Kaldi and most Unix tools: helpers for commands that take a
 * file argument or read lines.
 */
import { MAX_TEXT_BYTES, readTextFile, splitLines } from '../index.ts';

/**
 * Read all of a stream as bytes, at most `maxBytes` (default MAX_TEXT_BYTES): a stream that goes
 * on (`< /dev/zero`) is an error naming `what` once the cap is passed, not memory without bound.
 */
export async function readBytes(stream: NodeJS.ReadableStream, { what = 'standard input', maxBytes = MAX_TEXT_BYTES }: { what?: string; maxBytes?: number } = {}): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk);
    total += bytes.length;
    if (total > maxBytes) throw new Error(`${what}: more than ${maxBytes} bytes, the most read at once`);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

/** Read all of a stream as text lines ending at LF, CR LF or a lone CR (splitLines). */
export async function readLines(stream: NodeJS.ReadableStream): Promise<string[]> {
  return splitLines(Buffer.from(await readBytes(stream)).toString('utf8'));
}

/**
 * The text of `path`, or of standard input when `path` is '-'. `what` (e.g. '--hyp') names the
 * argument in errors. Only a regular UTF-8 file is read (a FIFO or /dev/zero is refused), and
 * standard input up to MAX_TEXT_BYTES.
 */
export async function readTextArgument(path: string, what: string, stdin: NodeJS.ReadableStream = process.stdin): Promise<string> {
  if (path === '-') return Buffer.from(await readBytes(stdin, { what: `${what} (standard input)` })).toString('utf8');
  return readTextFile(path, { what });
}

/** Refuse a second '-' among `paths` (standard input can be read once); `what` names the argument. */
export function checkOneStdin(paths: readonly string[], what: string): void {
  if (paths.filter((p) => p === '-').length > 1) throw new Error(`${what}: '-' (standard input) given more than once`);
}
