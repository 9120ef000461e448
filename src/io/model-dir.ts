/**
 * Reading a model directory's files from disk (Node) before anything is allocated: each must be
 * a regular file (no symbolic links, FIFOs or devices), JSON errors name the file and never
 * quote it, and a missing file is named with its directory. model-checks.ts checks the contents.
 */
import { existsSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonFile, readRegularFile } from './read-file.ts';

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function checkPresent(dir: string, name: string): string {
  const path = join(dir, name);
  if (!existsSync(path) && !isSymlink(path)) throw new Error(`model directory '${dir}': no ${name} (${path} does not exist)`);
  return path;
}

/** The JSON file `name` of model directory `dir` (no symlinks, at most 64 MiB). */
export function readModelJson(dir: string, name: string): unknown {
  return readJsonFile(checkPresent(dir, name), { what: 'model file', followSymlinks: false });
}

/** The bytes of file `name` of model directory `dir` (no symlinks, a regular file of at most 2 GiB). */
export function readModelBytes(dir: string, name: string): Uint8Array {
  return readRegularFile(checkPresent(dir, name), { what: 'weights file', followSymlinks: false });
}
