/**
 * Reading an image set in the shapes corpus layout (corpus/SPLIT/images.scp, text, references):
 *
 *   images.scp   "ID path"            path relative to the corpus root (or absolute)
 *   text         "ID caption"         the training target (optional outside train)
 *   references   "ID caption"         one line per correct caption; an ID may repeat
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { readKaldiTable, readTextFile } from '../../src/index.ts';

export interface ImageSet {
  ids: string[];
  /** absolute image paths */
  paths: string[];
  /** training captions ('' where the set has no text file) */
  texts: string[];
  /** every correct caption of each image */
  references: string[][];
}

/** The set `split` of the corpus at `root` (split may also be a directory path of its own). */
export function readImageSet(root: string, split: string): ImageSet {
  const dir = existsSync(join(root, split)) ? join(root, split) : split;
  const base = dir === split ? resolve(dir, '..') : root;
  const scp = readKaldiTable(join(dir, 'images.scp'));
  const texts = existsSync(join(dir, 'text')) ? readKaldiTable(join(dir, 'text')) : new Map<string, string>();
  const refs = new Map<string, string[]>();
  const refPath = join(dir, 'references');
  if (!existsSync(refPath)) throw new Error(`${refPath}: no such file (every image set needs its references)`);
  readTextFile(refPath).split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const m = /^(\S+)\s+(.+)$/.exec(line.trim());
    if (!m) throw new Error(`${refPath}:${i + 1}: expected "ID caption", got '${line}'`);
    if (!scp.has(m[1])) throw new Error(`${refPath}:${i + 1}: '${m[1]}' is not in images.scp`);
    refs.set(m[1], [...(refs.get(m[1]) ?? []), m[2].trim()]);
  });
  const ids = [...scp.keys()];
  for (const id of ids) if (!refs.has(id)) throw new Error(`${refPath}: no reference for '${id}' of images.scp`);
  return {
    ids,
    paths: ids.map((id) => (isAbsolute(scp.get(id)!) ? scp.get(id)! : resolve(base, scp.get(id)!))),
    texts: ids.map((id) => texts.get(id) ?? ''),
    references: ids.map((id) => refs.get(id)!),
  };
}
