/**
 * Writes that never leave a half-written file behind: write to a temporary file beside the
 * target, flush it, then rename it over the target (rename is atomic within one file system).
 *
 * - Every byte is written or the write fails: `fs.writeSync` may write fewer bytes than asked
 *   (a full disk), so the writer loops until all are written and treats a write of 0 bytes as
 *   ENOSPC.
 * - On any failure the target keeps its previous content, the temporary file is removed, and
 *   the error names the target and the cause (`ENOSPC`, `EACCES`, …).
 * - The temporary file gets an unpredictable name (128 random bits) and is created with
 *   O_CREAT | O_EXCL | O_NOFOLLOW, so a file or symlink planted under that name is never
 *   followed or overwritten. The rename replaces a symlink at the target itself, never the
 *   file it points to.
 *
 * (npm's write-file-atomic was considered: its temporary names come from the pid and a call
 * counter and it opens them with 'w', which follows a planted symlink; this does not.)
 */
import {
  closeSync,
  constants,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * The signatures writeFileAtomic uses of node:fs, spelled out so that the declarations of this
 * file need no Node type definitions.
 */
export interface AtomicFs {
  openSync(path: string, flags: number, mode?: number): number;
  writeSync(fd: number, buffer: Uint8Array, offset?: number, length?: number, position?: number | null): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  renameSync(oldPath: string, newPath: string): void;
  unlinkSync(path: string): void;
}

/** The file-system calls writeFileAtomic makes (tests replace them to simulate faults). */
export const atomicFs: AtomicFs = { openSync, writeSync, fsyncSync, closeSync, renameSync, unlinkSync };

/** An error while writing `path`, naming it and the system error code (e.g. ENOSPC). */
export class WriteError extends Error {
  readonly code: string;
  constructor(path: string, cause: unknown) {
    const code = (cause as NodeJS.ErrnoException)?.code ?? 'EIO';
    // Node's own messages already start with the code ("EACCES: permission denied, open '…'").
    const message = (cause as Error)?.message ?? String(cause);
    const why = code === 'ENOSPC' ? 'no space left on the device' : message.startsWith(`${code}: `) ? message.slice(code.length + 2) : message;
    super(`cannot write '${path}': ${code}: ${why} (the previous file, if any, is kept)`);
    this.name = 'WriteError';
    this.code = code;
  }
}

/** `bytes` random bytes from the platform's CSPRNG, as hex. */
function randomHex(bytes: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('');
}

function noSpace(): NodeJS.ErrnoException {
  const e = new Error('wrote 0 bytes') as NodeJS.ErrnoException;
  e.code = 'ENOSPC';
  return e;
}

/** Atomically replace `path` with `data`, creating parent directories as needed. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const dir = dirname(path);
  let tmp: string | undefined;
  let fd: number | undefined;
  try {
    mkdirSync(dir, { recursive: true });
    tmp = join(dir, `.${basename(path)}.${randomHex(16)}.tmp`);
    const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);
    fd = atomicFs.openSync(tmp, flags, 0o666);
    for (let at = 0; at < bytes.length; ) {
      const n = atomicFs.writeSync(fd, bytes, at, bytes.length - at);
      if (!(n > 0)) throw noSpace();
      at += n;
    }
    atomicFs.fsyncSync(fd);
    atomicFs.closeSync(fd);
    fd = undefined;
    atomicFs.renameSync(tmp, path);
    tmp = undefined;
  } catch (err) {
    if (fd !== undefined) {
      try {
        atomicFs.closeSync(fd);
      } catch {
        /* already failing */
      }
    }
    if (tmp !== undefined) {
      try {
        atomicFs.unlinkSync(tmp);
      } catch {
        /* it may never have been created */
      }
    }
    throw new WriteError(path, err);
  }
  syncDirectory(dir);
}

/** Flush the directory entry of a rename (best effort: not every platform opens directories). */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    /* e.g. Windows */
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const TEMPORARY = /^\..+\.[0-9a-f]{32}\.tmp$/;

/**
 * Remove the temporary files a killed writeFileAtomic left in `dir` (names `.<target>.<32 hex>.tmp`);
 * returns their names. Run it where one process owns the directory (e.g. a training directory
 * when a run starts), never while another process may be writing there.
 */
export function removeStaleTemporaries(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => TEMPORARY.test(n));
  } catch {
    return [];
  }
  for (const n of names) rmSync(join(dir, n), { force: true });
  return names;
}

/** Atomically write `value` as pretty JSON followed by a newline. */
export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n');
}
