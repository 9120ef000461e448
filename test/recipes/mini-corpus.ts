// A small copy of the committed annyeong corpus for end-to-end tests that train in seconds.
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readKaldiTable } from '../../src/index.ts';

const source = 'corpora/annyeong';

/** A corpus of the first `n` utterances of each split named, in a temporary directory. */
export function miniCorpus(n: number, splits: string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'sori-annyeong-'));
  copyFileSync(join(source, 'symbols.txt'), join(root, 'symbols.txt'));
  for (const split of splits) {
    const wavs = [...readKaldiTable(join(source, split, 'wav.scp'))].slice(0, n);
    const texts = readKaldiTable(join(source, split, 'text'));
    mkdirSync(join(root, split), { recursive: true });
    mkdirSync(join(root, 'wav', split), { recursive: true });
    for (const [, path] of wavs) copyFileSync(join(source, path), join(root, path));
    writeFileSync(join(root, split, 'wav.scp'), wavs.map(([id, path]) => `${id} ${path}\n`).join(''));
    writeFileSync(join(root, split, 'text'), wavs.map(([id]) => `${id} ${texts.get(id)}\n`).join(''));
  }
  return root;
}
