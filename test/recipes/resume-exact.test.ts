/**
 * The toy-translation recipe killed right after epoch k's checkpoint and resumed ends with a
 * model byte-identical to the uninterrupted run (Adam's state, the batch order and the dropout
 * masks all carry over exactly).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import runToy from '../../recipes/toy-translation/run.ts';

const PAIRS = [
  ['The cat eats the apple.', '고양이가 사과를 먹는다.'],
  ['The dog eats the bread.', '개가 빵을 먹는다.'],
  ['The cat sees the bread.', '고양이가 빵을 본다.'],
  ['The dog sees the apple.', '개가 사과를 본다.'],
  ['The cat reads the book.', '고양이가 책을 읽는다.'],
  ['The dog reads the book.', '개가 책을 읽는다.'],
];
const EPOCHS = 6;
const settings = ['--model.embeddingSize=8', '--model.hiddenSize=8', '--model.dropout=0.2', '--train.batchSize=1', '--train.learningRate=0.02', `--train.epochs=${EPOCHS}`, '--stop-stage', '2'];

let root: string;
let corpus: string;
let killAfter = 0;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'sori-resume-recipe-'));
  corpus = join(root, 'corpus');
  mkdirSync(corpus);
  const tsv = PAIRS.map((p) => p.join('\t')).join('\n') + '\n';
  for (const split of ['train', 'dev', 'test']) writeFileSync(join(corpus, `${split}.tsv`), tsv);
  // A "kill" right after the line that reports epoch `killAfter` (its checkpoint is on disk by then).
  vi.spyOn(console, 'log').mockImplementation((line?: unknown) => {
    if (killAfter && new RegExp(`^\\s*epoch ${killAfter}(/\\d+)?: (train )?loss`).test(String(line))) throw new Error('killed');
  });
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});

afterAll(() => {
  vi.restoreAllMocks();
  rmSync(root, { recursive: true, force: true });
});

describe('toy-translation killed after an epoch and resumed', () => {
  it('ends with weights byte-identical to the uninterrupted run, for every epoch it was killed after', async () => {
    const straight = join(root, 'straight');
    killAfter = 0;
    await runToy(['--corpus', corpus, '--exp-dir', straight, ...settings]);
    const want = readFileSync(join(straight, 'model', 'weights.safetensors'));
    for (let k = 1; k < EPOCHS; k++) {
      const exp = join(root, `killed-${k}`);
      killAfter = k;
      await expect(runToy(['--corpus', corpus, '--exp-dir', exp, ...settings])).rejects.toThrow('killed');
      killAfter = 0;
      await runToy(['--corpus', corpus, '--exp-dir', exp, ...settings, '--resume']);
      const got = readFileSync(join(exp, 'model', 'weights.safetensors'));
      expect(got.equals(want), `killed after epoch ${k}`).toBe(true);
    }
  });
});
