/**
 * `-` means standard input, as in Kaldi and most Unix tools: helpers for commands that take a
 * file argument or read lines.
 */
import { readFile } from 'node:fs/promises';
import { splitLines } from '../index.ts';

/** Read all of a stream as bytes. */
export async function readBytes(stream: NodeJS.ReadableStream): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** Read all of a stream as text lines ending at LF, CR LF or a lone CR (splitLines). */
export async function readLines(stream: NodeJS.ReadableStream): Promise<string[]> {
  return splitLines(Buffer.from(await readBytes(stream)).toString('utf8'));
}

/**
 * The text of `path`, or of standard input when `path` is '-'. `what` (e.g. '--hyp') names the
 * argument in errors.
 */
export async function readTextArgument(path: string, what: string, stdin: NodeJS.ReadableStream = process.stdin): Promise<string> {
  if (path === '-') return Buffer.from(await readBytes(stdin)).toString('utf8');
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(`${what} ${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/** Refuse a second '-' among `paths` (standard input can be read once); `what` names the argument. */
export function checkOneStdin(paths: readonly string[], what: string): void {
  if (paths.filter((p) => p === '-').length > 1) throw new Error(`${what}: '-' (standard input) given more than once`);
}
