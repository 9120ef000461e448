import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  createCtcModel,
  ctcModelDefaults,
  ctcModelLogits,
  ctcModelWeights,
  disposeCtcModel,
  loadCtcModel,
  saveCtcModel,
  stackFrames,
} from '../../src/index.ts';

const small = { ...ctcModelDefaults, inputSize: 2, hiddenSize: 4, frameStack: 2, dropout: 0 };

describe('stackFrames', () => {
  it('concatenates k neighbouring frames and zero-pads T up to a multiple of k', () => {
    const x = tf.tensor3d([[[1, 2], [3, 4], [5, 6]]]); // [1, 3, 2]
    const s = stackFrames(x, 2);
    expect(s.shape).toEqual([1, 2, 4]);
    expect(s.arraySync()).toEqual([[[1, 2, 3, 4], [5, 6, 0, 0]]]);
  });
});

describe('ctcModelLogits', () => {
  it('gives [B, ⌈T/k⌉, V] scores and ⌈length/k⌉ output lengths', () => {
    const model = createCtcModel(small);
    const { logits, lengths } = ctcModelLogits(model, tf.zeros([3, 7, 2]) as tf.Tensor3D, [7, 5, 1]);
    expect(logits.shape).toEqual([3, 4, 7]);
    expect(lengths).toEqual([4, 3, 1]);
    disposeCtcModel(model);
  });

  it('scores a padded sample in a batch of 3 exactly as alone (B = 1)', () => {
    const model = createCtcModel(small);
    const a = tf.randomNormal([1, 6, 2], 0, 1, 'float32', 3) as tf.Tensor3D;
    const batch = tf.concat([tf.randomNormal([1, 10, 2], 0, 1, 'float32', 4), tf.pad(a, [[0, 0], [0, 4], [0, 0]]), tf.zeros([1, 10, 2])]) as tf.Tensor3D;
    const alone = ctcModelLogits(model, a, [6]).logits; // [1, 3, V]
    const inBatch = ctcModelLogits(model, batch, [10, 6, 0]).logits.slice([1, 0, 0], [1, 3, 7]);
    expect(Array.from(inBatch.dataSync())).toEqual(Array.from(alone.dataSync()).map((v) => expect.closeTo(v, 5)));
    disposeCtcModel(model);
  });

  it('drops the same units in training for the same dropoutSeed, and other units for another seed', () => {
    // one layer: the only dropout is the model's own, before the output layer
    const model = createCtcModel({ ...small, numLayers: 1, dropout: 0.5 });
    const x = tf.randomNormal([2, 6, 2], 0, 1, 'float32', 8) as tf.Tensor3D;
    const run = (dropoutSeed: number) => Array.from(ctcModelLogits(model, x, [6, 4], { training: true, dropoutSeed }).logits.dataSync());
    const inference = Array.from(ctcModelLogits(model, x, [6, 4]).logits.dataSync());
    expect(run(12)).toEqual(run(12));
    expect(run(12)).not.toEqual(run(13));
    expect(run(12)).not.toEqual(inference);
    disposeCtcModel(model);
  });

  it('rejects frames whose feature size differs from the model, naming x', () => {
    const model = createCtcModel(small);
    expect(() => ctcModelLogits(model, tf.zeros([1, 4, 3]) as tf.Tensor3D, [4])).toThrow(/x: axis 2 must be 2/);
    disposeCtcModel(model);
  });
});

describe('saveCtcModel / loadCtcModel', () => {
  it('a loaded model gives the saved model\'s scores and card', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'sori-ctc-')), 'model');
    const model = createCtcModel({ ...small, seed: 11 });
    const symbols = ['<space>', '안', '녕', '하', '세', '요', '<blank>'];
    saveCtcModel(dir, model, { symbols, blank: 6, features: { kind: 'mfcc', numCeps: 13 } });
    const other = loadCtcModel(dir);
    expect(other.card.symbols).toEqual(symbols);
    expect(Object.keys(ctcModelWeights(other.model))).toEqual(Object.keys(ctcModelWeights(model)));
    const x = tf.randomNormal([2, 5, 2], 0, 1, 'float32', 5) as tf.Tensor3D;
    const want = ctcModelLogits(model, x, [5, 3]).logits.dataSync();
    const got = ctcModelLogits(other.model, x, [5, 3]).logits.dataSync();
    expect(Array.from(got)).toEqual(Array.from(want));
    disposeCtcModel(model);
    disposeCtcModel(other.model);
  });
});
