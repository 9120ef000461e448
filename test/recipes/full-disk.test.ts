/**
 * The toy-translation recipe on a full disk (a tmpfs mounted by the test; skipped where mounting
 * is impossible, e.g. without root): the write that does not fit fails with ENOSPC and a non-zero
 * exit, the previous checkpoint stays whole, no temporary file is left, and once there is room
 * again --resume finishes the run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadCheckpoint, Seq2Seq } from '../../src/index.ts';
import runToy from '../../recipes/toy-translation/run.ts';
import { config as toyConfig } from '../../recipes/toy-translation/config.ts';

const PAIRS = [
  ['The cat eats the apple.', '고양이가 사과를 먹는다.'],
  ['The dog eats the bread.', '개가 빵을 먹는다.'],
  ['The cat sees the bread.', '고양이가 빵을 본다.'],
  ['The dog sees the apple.', '개가 사과를 본다.'],
];
// Large enough that one checkpoint spans many pages of the tmpfs.
const model = ['--model.embeddingSize=32', '--model.hiddenSize=64', '--train.batchSize=4', '--decode.demoSentences=1'];

let root: string;
let disk: string | undefined;

function df(dir: string): { used: number } {
  const out = execFileSync('df', ['-B1', '--output=used', dir], { encoding: 'utf8' }).trim().split('\n')[1];
  return { used: Number(out) };
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'sori-full-disk-'));
  const corpus = join(root, 'corpus');
  mkdirSync(corpus);
  const tsv = PAIRS.map((p) => p.join('\t')).join('\n') + '\n';
  for (const split of ['train', 'dev', 'test']) writeFileSync(join(corpus, `${split}.tsv`), tsv);
  disk = join(root, 'disk');
  mkdirSync(disk);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', disk], { stdio: 'ignore' });
  } catch {
    disk = undefined;
  }
  vi.spyOn(console, 'log').mockImplementation(() => {});
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});

afterAll(() => {
  vi.restoreAllMocks();
  if (disk) execFileSync('umount', [disk], { stdio: 'ignore' });
  rmSync(root, { recursive: true, force: true });
});

describe('a full disk during training', () => {
  it('fails with ENOSPC and a non-zero exit, keeps the last checkpoint whole, and --resume finishes once there is room', async (ctx) => {
    if (!disk) return ctx.skip();
    const corpus = join(root, 'corpus');
    // Measure what one epoch leaves on the disk (data, best, checkpoint, model directory) …
    const calibration = join(disk, 'calibration');
    await runToy(['--corpus', corpus, '--exp-dir', calibration, ...model, '--train.epochs=1', '--stop-stage', '2']);
    const size = statSync(join(calibration, 'train', 'checkpoint.safetensors')).size;
    const used = df(disk).used;
    rmSync(calibration, { recursive: true });
    // … and leave room for less than one more checkpoint: epoch 2's atomic write cannot fit.
    execFileSync('mount', ['-o', `remount,size=${used + Math.floor(size / 2)}`, disk]);
    const exp = join(disk, 'exp');
    const args = ['--corpus', corpus, '--exp-dir', exp, ...model];
    const checkpoint = join(exp, 'train', 'checkpoint.safetensors');

    const cli = spawnSync(
      process.execPath,
      [resolve('bin/sori.js'), 'recipe', 'toy-translation', ...args, '--train.epochs=3', '--stop-stage', '2'],
      { encoding: 'utf8', env: { ...process.env, SORI_BACKEND: process.env.SORI_BACKEND ?? '' } },
    );
    expect(cli.status, cli.stdout + cli.stderr).not.toBe(0);
    expect(cli.stderr).toMatch(/ENOSPC/);
    expect(cli.stderr).toMatch(/exp\/train\/(checkpoint|best)\.safetensors/);
    expect(readdirSync(join(exp, 'train')).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    // The previous checkpoint is whole: it loads, and says epoch 1.
    const vocab = (f: string) => JSON.parse(readFileSync(join(exp, 'data', f), 'utf8')).tokens.length;
    const real = new Seq2Seq({
      ...toyConfig.model,
      embeddingSize: 32,
      hiddenSize: 64,
      sourceVocabSize: vocab('source-vocabulary.json'),
      targetVocabSize: vocab('target-vocabulary.json'),
    });
    const optimizer = tf.train.adam(0.01);
    const state = await loadCheckpoint(checkpoint, real.namedWeights(), optimizer);
    expect(state.epoch).toBe(1);
    real.dispose();
    optimizer.dispose();

    // Room again: --resume continues after epoch 1 and finishes.
    execFileSync('mount', ['-o', 'remount,size=16m', disk]);
    await runToy([...args, '--train.epochs=3', '--stop-stage', '2', '--resume']);
    const history = JSON.parse(readFileSync(join(exp, 'train-history.json'), 'utf8'));
    expect(history.history.map((h: { epoch: number }) => h.epoch)).toEqual([1, 2, 3]);
  });
});
