/**
 * The files a recipe wrote earlier (exp/NAME/data, features, scalers, histories) and read back in
 * a later stage: a file cut off by a kill, edited by hand or replaced by a FIFO gives an error
 * naming the file and what is wrong, never a raw `Unexpected end of JSON input`, never a hang,
 * and never the file's contents.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { historyCurves, readJsonFile, readJsonLines, readTextFile } from '../../src/index.ts';
import { readVocabulary, readSplit } from '../../recipes/translation/data.ts';
import { readPrepared } from '../../recipes/classification/data.ts';
import { loadExamples } from '../../recipes/annyeong/data.ts';
import { readToyPairs } from '../../recipes/toy-translation/run.ts';
import { config as stockDefaults } from '../../recipes/stock/config.ts';
import { loadStockData } from '../../recipes/stock/data.ts';
import { syntheticCsv } from '../forecast/helpers.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'sori-exp-files-'));
const SECRET = 'root:$6$secret';

/** The error `f` throws (the test fails when it throws none). */
function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected an error, got none');
}

describe('readTextFile / readJsonFile / readJsonLines', () => {
  it('a truncated JSON file names the file and the position, not its text', () => {
    const d = dir();
    writeFileSync(join(d, 'a.json'), `{"tokens": ["${SECRET}", `);
    const message = errorOf(() => readJsonFile(join(d, 'a.json'), { what: 'vocabulary' }));
    expect(message).toMatch(/^vocabulary '.*a\.json' is not valid JSON \(it ends before the value does: cut off\?\)$/);
    expect(message).not.toContain(SECRET);
  });

  it('a value the checker refuses is prefixed with the file', () => {
    const d = dir();
    writeFileSync(join(d, 'b.json'), '[]');
    expect(errorOf(() => readJsonFile(join(d, 'b.json'), { as: () => { throw new Error('expected an object'); } }))).toMatch(/b\.json': expected an object$/);
  });

  it('a JSON-lines file cut inside its last line names that line', () => {
    const d = dir();
    writeFileSync(join(d, 'c.jsonl'), '{"id":"a"}\n{"id":"b"}\n{"id":"c", "text": "' + SECRET);
    const message = errorOf(() => readJsonLines(join(d, 'c.jsonl')));
    expect(message).toMatch(/c\.jsonl' line 3 is not valid JSON/);
    expect(message).not.toContain(SECRET);
  });

  it('bytes that are not UTF-8 (a file cut inside a character) name the byte offset', () => {
    const d = dir();
    writeFileSync(join(d, 'd.txt'), Buffer.concat([Buffer.from('안녕', 'utf8'), Buffer.from([0xec, 0x95])]));
    expect(errorOf(() => readTextFile(join(d, 'd.txt')))).toMatch(/d\.txt' is not UTF-8 text \(at byte 6\)/);
  });

  it('a FIFO is refused at once instead of read forever', () => {
    const d = dir();
    execFileSync('mkfifo', [join(d, 'fifo')]);
    expect(errorOf(() => readTextFile(join(d, 'fifo'), { what: 'references' }))).toMatch(/references '.*fifo' is a FIFO: only regular files are read/);
    expect(errorOf(() => readTextFile('/dev/zero'))).toMatch(/'\/dev\/zero' is a device/);
  });
});

describe("the recipes' own files", () => {
  it('translation: a truncated target-vocabulary.json names the file', () => {
    const d = dir();
    writeFileSync(join(d, 'target-vocabulary.json'), '{"level": "word", "tokens": ["<pad>", "<sos>"');
    expect(errorOf(() => readVocabulary(d, 'target'))).toMatch(/target-vocabulary\.json' is not valid JSON/);
  });

  it('translation: a vocabulary of the wrong shape names the file and what was expected', () => {
    const d = dir();
    writeFileSync(join(d, 'source-vocabulary.json'), '{"level": "word"}');
    expect(errorOf(() => readVocabulary(d, 'source'))).toMatch(/source-vocabulary\.json': vocabulary JSON: expected \{ level, tokens: string\[\] \}/);
  });

  it('translation: a split replaced by a FIFO is refused', () => {
    const d = dir();
    execFileSync('mkfifo', [join(d, 'train.tsv')]);
    expect(errorOf(() => readSplit(d, 'train'))).toMatch(/train\.tsv' is a FIFO/);
  });

  it('classification: labels.json without a list of labels names the file', () => {
    const d = dir();
    writeFileSync(join(d, 'labels.json'), '{"labels": "positive"}');
    writeFileSync(join(d, 'vocabulary.json'), '{"level": "word", "tokens": ["<pad>", "<sos>", "<eos>", "<unk>"]}');
    expect(errorOf(() => readPrepared(d))).toMatch(/labels\.json': expected \{ labels: \[two or more distinct strings\] \}/);
  });

  it('annyeong: features whose JSON lines were cut by a kill name the file and the line', () => {
    const d = dir();
    writeFileSync(join(d, 'train.jsonl'), '{"id":"u1","text":"안","labels":[1]}\n{"id":"u2","te');
    expect(errorOf(() => loadExamples(d, 'train'))).toMatch(/train\.jsonl' line 2 is not valid JSON/);
  });

  it('annyeong: a record without its fields names the file, the line and the missing field', () => {
    const d = dir();
    writeFileSync(join(d, 'dev.jsonl'), '{"id":"u1","labels":[1]}\n');
    expect(errorOf(() => loadExamples(d, 'dev'))).toMatch(/dev\.jsonl' line 1: expected an object with string fields id, text \(no text\)/);
  });

  it('a train-history.json of the wrong shape names the file, for any recipe report', () => {
    const d = dir();
    writeFileSync(join(d, 'train-history.json'), '{"history": 3}');
    expect(errorOf(() => historyCurves(join(d, 'train-history.json'), { title: 't', caption: 'c' }))).toMatch(
      /training history '.*train-history\.json': expected \{ history: \[one object per epoch\], bestEpoch\? \}/,
    );
  });

  it('toy-translation: a corpus given as /dev/zero is refused, not read without bound', () => {
    expect(errorOf(() => readToyPairs('/dev/zero', 'en-ko'))).toMatch(/--corpus '\/dev\/zero' is a device/);
  });

  it('annyeong: a half-written data file is not silently taken for a short one', () => {
    const d = dir();
    mkdirSync(join(d, 'feats'));
    writeFileSync(join(d, 'feats', 'train.jsonl'), '{"id":"u1","text":"안","labels":[1]}\n');
    // features present in the JSON lines but the safetensors file missing: named, not `undefined`
    expect(errorOf(() => loadExamples(join(d, 'feats'), 'train'))).toMatch(/train\.safetensors/);
  });

  it('stock: saved scalers with a zero σ name the file and the field', () => {
    const d = dir();
    writeFileSync(join(d, 'bars.csv'), syntheticCsv({ days: 3, barsPerDay: 20, seed: 1 }));
    const cfg = structuredClone(stockDefaults);
    cfg.data = { ...cfg.data, csv: join(d, 'bars.csv'), trainDays: ['2024-05-10'], devDays: ['2024-05-11'], testDays: ['2024-05-12'] };
    writeFileSync(join(d, 'prepared.json'), JSON.stringify({ featureScaler: { mean: [0], std: [0] }, targetScaler: { mean: [0], std: [1] } }));
    expect(errorOf(() => loadStockData(cfg, join(d, 'prepared.json')))).toMatch(/prepared\.json': featureScaler: expected \{ mean: \d+ finite numbers, std: \d+ positive numbers \}/);
  });
});
