/**
 * The toy-translation recipe end to end on a few sentence pairs and a tiny model:
 * prepare → train → save → load → translate, and --resume continuing a stopped training.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { loadTranslator } from '../../src/index.ts';
import runToy from '../../recipes/toy-translation/run.ts';

const PAIRS = [
  ['The cat eats the apple.', '고양이가 사과를 먹는다.'],
  ['The dog eats the bread.', '개가 빵을 먹는다.'],
  ['The cat sees the bread.', '고양이가 빵을 본다.'],
  ['The dog sees the apple.', '개가 사과를 본다.'],
  ['The cat reads the book.', '고양이가 책을 읽는다.'],
  ['The dog reads the book.', '개가 책을 읽는다.'],
];
const DEV = [
  ['The cat eats the bread.', '고양이가 빵을 먹는다.'],
  ['The dog sees the book.', '개가 책을 본다.'],
];

const tiny = [
  '--model.embeddingSize=8',
  '--model.hiddenSize=8',
  '--train.batchSize=4',
  '--train.learningRate=0.02',
  '--decode.demoSentences=1',
];

let root: string;
let corpus: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'sori-e2e-'));
  corpus = join(root, 'corpus');
  const tsv = (pairs: string[][]) => pairs.map((p) => p.join('\t')).join('\n') + '\n';
  mkdirSync(corpus, { recursive: true });
  writeFileSync(join(corpus, 'train.tsv'), tsv(PAIRS));
  writeFileSync(join(corpus, 'dev.tsv'), tsv(DEV));
  writeFileSync(join(corpus, 'test.tsv'), tsv(DEV));
  vi.spyOn(console, 'log').mockImplementation(() => {});
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});

afterAll(() => {
  vi.restoreAllMocks();
  rmSync(root, { recursive: true, force: true });
});

describe('toy-translation recipe, end to end', () => {
  it('prepares, trains, saves a model directory, decodes and scores', async () => {
    const exp = join(root, 'exp-full');
    await runToy(['--corpus', corpus, '--exp-dir', exp, '--train.epochs=2', ...tiny]);
    for (const file of ['config.json', 'data/train.tsv', 'data/dev.tsv', 'data/test.tsv', 'train-history.json', 'RESULTS.md', 'scores.json']) {
      expect(existsSync(join(exp, file)), file).toBe(true);
    }
    for (const file of ['model.json', 'weights.safetensors', 'source-vocabulary.json', 'target-vocabulary.json']) {
      expect(existsSync(join(exp, 'model', file)), file).toBe(true);
    }
    expect(readFileSync(join(exp, 'data', 'train.tsv'), 'utf8').trim().split('\n')).toHaveLength(PAIRS.length);
    const results = readFileSync(join(exp, 'RESULTS.md'), 'utf8');
    expect(results).toMatch(/\| dev \| 2 \| [\d.]+ \| [\d.]+ \|/);
    expect(results).toMatch(/\| test \| 2 \|/);
    expect(results).toMatch(/^BLEU\|nrefs:1\|case:mixed\|eff:no\|tok:13a\|smooth:exp\|version:\S+ = [\d.]+ [\d./]+ \(BP = [\d.]+ ratio = [\d.]+ hyp_len = \d+ ref_len = \d+\) decode\/dev$/m);
  });

  it('the loaded model translates exactly as the decode stage did', async () => {
    const exp = join(root, 'exp-full');
    const hyps = readFileSync(join(exp, 'decode', 'dev', 'hyp.txt'), 'utf8').split('\n').slice(0, DEV.length);
    const translator = loadTranslator(join(exp, 'model'));
    const before = tf.memory().numTensors;
    const out = translator.translate(DEV.map((p) => p[0]));
    expect(tf.memory().numTensors).toBe(before);
    translator.dispose();
    expect(out.map((t) => t.text)).toEqual(hyps);
    expect(out[0].sourceTokens).toEqual(['The', 'cat', 'eats', 'the', 'bread', '.', '<eos>']);
  });

  it('the model directory holds the vocabularies the training text was tokenised with', () => {
    const exp = join(root, 'exp-full');
    const source = JSON.parse(readFileSync(join(exp, 'model', 'source-vocabulary.json'), 'utf8'));
    const target = JSON.parse(readFileSync(join(exp, 'model', 'target-vocabulary.json'), 'utf8'));
    expect(source.level).toBe('word');
    expect(source.tokens.slice(0, 4)).toEqual(['<pad>', '<sos>', '<eos>', '<unk>']);
    expect(source.tokens).toContain('cat');
    expect(target.tokens).toContain('고양이가');
    expect(JSON.parse(readFileSync(join(exp, 'model', 'model.json'), 'utf8')).model.sourceVocabSize).toBe(source.tokens.length);
  });

  it('--resume continues a stopped training from its last finished epoch', async () => {
    const exp = join(root, 'exp-resume');
    await runToy(['--corpus', corpus, '--exp-dir', exp, '--stop-stage', '2', '--train.epochs=1', ...tiny]);
    const first = JSON.parse(readFileSync(join(exp, 'train-history.json'), 'utf8'));
    expect(first.history.map((h: { epoch: number }) => h.epoch)).toEqual([1]);
    // As after a kill during epoch 2: the checkpoint of epoch 1 is there, the final model is not.
    rmSync(join(exp, 'model'), { recursive: true });
    await expect(runToy(['--corpus', corpus, '--exp-dir', exp, '--stage', '2', '--stop-stage', '2', '--train.epochs=2', ...tiny])).rejects.toThrow(
      /--resume/,
    );
    await runToy(['--corpus', corpus, '--exp-dir', exp, '--stage', '2', '--stop-stage', '2', '--resume', '--train.epochs=2', ...tiny]);
    const second = JSON.parse(readFileSync(join(exp, 'train-history.json'), 'utf8'));
    expect(second.history.map((h: { epoch: number }) => h.epoch)).toEqual([1, 2]);
    expect(second.history[0]).toEqual(first.history[0]);
    expect(existsSync(join(exp, 'model', 'weights.safetensors'))).toBe(true);
  });
});
