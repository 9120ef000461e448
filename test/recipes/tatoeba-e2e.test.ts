/**
 * The tatoeba recipe's data preparation: a manythings/Tatoeba TSV split into train, dev and test
 * by whole source sentences, in either direction, from a seed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitTatoeba } from '../../recipes/tatoeba/run.ts';

let root: string;
let path: string;
const ATTRIBUTION = 'CC-BY 2.0 (France) Attribution: tatoeba.org #1 (a) & #2 (b)';

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'sori-tatoeba-'));
  path = join(root, 'kor.txt');
  const lines = Array.from({ length: 20 }, (_, i) => `Sentence ${i}.\t문장 ${i}.\t${ATTRIBUTION}`);
  // One English sentence with two Korean translations: in ko-en these are two sources, in en-ko one.
  lines.push(`Hi.\t안녕.\t${ATTRIBUTION}`, `Hi.\t안녕하세요.\t${ATTRIBUTION}`);
  writeFileSync(path, lines.join('\n') + '\n');
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('splitTatoeba', () => {
  it('Korean → English by default layout: the Korean column is the source, the attribution is dropped', () => {
    const { train, dev, test } = splitTatoeba(path, { direction: 'ko-en', devSize: 3, testSize: 2, seed: 1 });
    expect(dev).toHaveLength(3);
    expect(test).toHaveLength(2);
    expect(train).toHaveLength(22 - 5);
    const all = [...train, ...dev, ...test];
    expect(all).toContainEqual({ source: '문장 4.', target: 'Sentence 4.' });
    expect(all).toContainEqual({ source: '안녕하세요.', target: 'Hi.' });
  });

  it('keeps all translations of one source sentence in the same split (en-ko)', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const splits = splitTatoeba(path, { direction: 'en-ko', devSize: 4, testSize: 4, seed });
      const where = Object.entries(splits).filter(([, pairs]) => pairs.some((p) => p.source === 'Hi.'));
      expect(where).toHaveLength(1);
      expect(where[0][1].filter((p) => p.source === 'Hi.').map((p) => p.target).sort()).toEqual(['안녕.', '안녕하세요.']);
      const sources = Object.values(splits).map((pairs) => new Set(pairs.map((p) => p.source)));
      expect([...sources[0]].some((s) => sources[1].has(s) || sources[2].has(s))).toBe(false);
    }
  });

  it('is the same split for the same seed and a different one for another seed', () => {
    const options = { direction: 'ko-en', devSize: 5, testSize: 0, seed: 3 };
    expect(splitTatoeba(path, options)).toEqual(splitTatoeba(path, options));
    expect(splitTatoeba(path, { ...options, seed: 4 }).dev).not.toEqual(splitTatoeba(path, options).dev);
  });

  it('names the flag of a bad direction, a missing file and a malformed line', () => {
    expect(() => splitTatoeba(path, { direction: 'ko-fr', devSize: 1, testSize: 1, seed: 1 })).toThrow(/--direction: .*'ko-fr'/);
    expect(() => splitTatoeba(join(root, 'nope.txt'), { direction: 'ko-en', devSize: 1, testSize: 1, seed: 1 })).toThrow(/--data: .*nope\.txt/);
    const bad = join(root, 'bad.txt');
    writeFileSync(bad, 'Hello.\t안녕.\tx\nno tab here\n');
    expect(() => splitTatoeba(bad, { direction: 'ko-en', devSize: 0, testSize: 0, seed: 1 })).toThrow(/bad\.txt:2/);
  });
});
