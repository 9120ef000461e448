/**
 * Kaldi data directories: `wav.scp` ("utt-id path") and `text` ("utt-id transcript"), one
 * utterance per line, sorted by id. Paths in wav.scp are relative to the corpus root. And a
 * recipe's symbol table file (`tokens.txt`, parsed by symbol-table.ts). Node only (files).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readTextFile } from '../io/read-file.ts';
import { parseSymbolTable, type SymbolTable } from './symbol-table.ts';

/**
 * Read a symbol table file ("symbol id" per line, see parseSymbolTable): a regular UTF-8 file of
 * at most 64 MiB (a FIFO or /dev/zero is refused, not read forever).
 */
export function readSymbolTable(path: string): SymbolTable {
  return parseSymbolTable(readTextFile(path, { what: 'symbol table', maxBytes: 64 * 2 ** 20 }), path);
}

/**
 * Read "key rest-of-line" lines into an ordered map; errors name the file and line. Only a
 * regular UTF-8 file is read (readTextFile: a FIFO or a device is refused).
 */
export function readKaldiTable(path: string): Map<string, string> {
  if (!existsSync(path)) throw new Error(`${path}: no such file`);
  const table = new Map<string, string>();
  readTextFile(path)
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      const m = /^(\S+)(?:\s+(.*))?$/.exec(line.trim());
      if (!m) throw new Error(`${path}:${i + 1}: expected "key value", got '${line}'`);
      if (table.has(m[1])) throw new Error(`${path}:${i + 1}: key '${m[1]}' appears twice`);
      table.set(m[1], m[2] ?? '');
    });
  return table;
}

export interface Utterance {
  id: string;
  /** Absolute path of the audio file. */
  audio: string;
  text: string;
}

/**
 * The utterances of `corpusRoot/split` (its wav.scp and text); every id must be in both.
 */
export function readDataDir(corpusRoot: string, split: string): Utterance[] {
  const dir = join(corpusRoot, split);
  const wavs = readKaldiTable(join(dir, 'wav.scp'));
  const texts = readKaldiTable(join(dir, 'text'));
  const out: Utterance[] = [];
  for (const [id, path] of wavs) {
    const text = texts.get(id);
    if (text === undefined) throw new Error(`${join(dir, 'text')}: no transcript for '${id}' of wav.scp`);
    out.push({ id, audio: resolve(corpusRoot, path), text });
  }
  for (const id of texts.keys()) {
    if (!wavs.has(id)) throw new Error(`${join(dir, 'wav.scp')}: no audio for '${id}' of text`);
  }
  return out;
}
