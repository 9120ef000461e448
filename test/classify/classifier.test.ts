// The sequence classifier: a case computed by hand, padding that never changes a result
// (B = 1 vs B = 3), gradients against finite differences, no tensor leaks, named errors.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import {
  classifierLogits,
  classifierLoss,
  classifierWeights,
  classProbabilities,
  createClassifier,
  disposeClassifier,
  type Pooling,
} from '../../src/index.ts';
import { smallConfig } from './helpers.ts';

describe('a case computed by hand', () => {
  it('no encoder, mean pooling: z = w · mean(E[x_1], E[x_2]) + b, p = σ(z); the padded step is ignored', () => {
    const m = createClassifier(smallConfig({ encoder: 'none', pooling: 'mean', embeddingSize: 2, vocabSize: 3 }), { seed: 1 });
    m.embedding.assign(tf.tensor2d([[9, 9], [1, 2], [3, -2]])); // row 0 (<pad>) must not matter
    m.dense.weight.assign(tf.tensor2d([[0.5, -1]]));
    m.dense.bias!.assign(tf.tensor1d([0.25]));
    // mean([1, 2], [3, −2]) = [2, 0]; z = 0.5·2 − 1·0 + 0.25 = 1.25
    const z = classifierLogits(m, tf.tensor2d([[1, 2, 0]], [1, 3], 'int32'), [2]);
    expect(z.dataSync()[0]).toBeCloseTo(1.25, 6);
    const p = classProbabilities(m.config, z).arraySync()[0];
    expect(p[1]).toBeCloseTo(1 / (1 + Math.exp(-1.25)), 6);
    expect(p[0] + p[1]).toBeCloseTo(1, 6);
    // binary cross-entropy for label 0: −log(1 − σ(1.25))
    const loss = classifierLoss(m, tf.tensor2d([[1, 2, 0]], [1, 3], 'int32'), [2], [0]).dataSync()[0];
    expect(loss).toBeCloseTo(-Math.log(1 - 1 / (1 + Math.exp(-1.25))), 5);
    disposeClassifier(m);
  });

  it('max pooling takes the element-wise maximum of the real steps only', () => {
    const m = createClassifier(smallConfig({ encoder: 'none', pooling: 'max', embeddingSize: 2, vocabSize: 3 }), { seed: 1 });
    m.embedding.assign(tf.tensor2d([[0, 0], [-1, 2], [-3, 5]]));
    m.dense.weight.assign(tf.tensor2d([[1, 10]]));
    m.dense.bias!.assign(tf.tensor1d([0]));
    // ids [1, 1] then garbage id 2 at a padded step: max = [−1, 2] → z = −1 + 20 = 19
    const z = classifierLogits(m, tf.tensor2d([[1, 1, 2]], [1, 3], 'int32'), [2]);
    expect(z.dataSync()[0]).toBeCloseTo(19, 5);
    disposeClassifier(m);
  });
});

describe('padding never changes a result (B = 1 vs B = 3)', () => {
  const cases: [string, Pooling, boolean][] = [
    ['gru', 'last', true],
    ['lstm', 'last', false],
    ['gru', 'mean+max', true],
    ['simple', 'mean', false],
    ['lstm', 'max', true],
    ['none', 'mean+max', false],
    ['none', 'flatten', false],
  ];
  for (const [encoder, pooling, bidirectional] of cases) {
    it(`${encoder}${bidirectional ? ' (bidirectional)' : ''}, pooling ${pooling}`, () => {
      const m = createClassifier(smallConfig({ encoder: encoder as never, pooling, bidirectional, numLayers: encoder === 'gru' ? 2 : 1 }), { seed: 3 });
      const rows = [
        [1, 2, 3, 4, 5, 6],
        [6, 5, 0, 0, 0, 0],
        [2, 2, 2, 0, 0, 0],
      ];
      const lengths = [6, 2, 3];
      // garbage ids past each length: they must not reach any logit
      const garbage = rows.map((r, b) => r.map((v, t) => (t < lengths[b] ? v : 1 + ((t * 3 + b) % 6))));
      const batch = classifierLogits(m, tf.tensor2d(garbage, [3, 6], 'int32'), lengths).arraySync();
      rows.forEach((r, b) => {
        const T = pooling === 'flatten' ? 6 : lengths[b];
        const alone = classifierLogits(m, tf.tensor2d([r.slice(0, T)], [1, T], 'int32'), [lengths[b]]).arraySync()[0];
        alone.forEach((v, k) => expect(batch[b][k]).toBeCloseTo(v, 5));
      });
      disposeClassifier(m);
    });
  }

  it('an empty text (length 0) gets the dense bias alone', () => {
    const m = createClassifier(smallConfig({ encoder: 'gru', pooling: 'mean+max' }), { seed: 4 });
    const z = classifierLogits(m, tf.tensor2d([[0, 0]], [1, 2], 'int32'), [0]).dataSync()[0];
    expect(z).toBeCloseTo(m.dense.bias!.dataSync()[0], 6);
    disposeClassifier(m);
  });
});

describe('gradients against finite differences', () => {
  for (const [encoder, pooling, loss, bidirectional] of [
    ['lstm', 'mean+max', 'binary', true],
    ['gru', 'last', 'categorical', true],
    ['simple', 'last', 'binary', false],
  ] as const) {
    it(`${encoder}${bidirectional ? ' (bidirectional)' : ''}, ${pooling}, ${loss} cross-entropy: every weight`, () => {
      const m = createClassifier(
        smallConfig({ encoder, pooling, loss, numClasses: loss === 'binary' ? 2 : 3, bidirectional, hiddenSize: 3 } as never),
        { seed: 9 },
      );
      const ids = tf.tensor2d([[1, 2, 3, 4], [5, 6, 0, 0]], [2, 4], 'int32');
      const labels = [1, loss === 'binary' ? 0 : 2];
      const f = () => classifierLoss(m, ids, [4, 2], labels);
      const weights = classifierWeights(m);
      const { grads } = tf.variableGrads(f, Object.values(weights));
      const eps = 1e-2;
      for (const [name, v] of Object.entries(weights)) {
        const g = grads[v.name].dataSync();
        const values = v.dataSync().slice();
        for (const i of [0, Math.floor(values.length / 2), values.length - 1]) {
          const at = (x: number) => {
            const copy = values.slice();
            copy[i] = x;
            v.assign(tf.tensor(copy, v.shape));
            return f().dataSync()[0];
          };
          const numeric = (at(values[i] + eps) - at(values[i] - eps)) / (2 * eps);
          v.assign(tf.tensor(values, v.shape));
          expect(Math.abs(g[i] - numeric), `${name}[${i}]: analytic ${g[i]}, numeric ${numeric}`).toBeLessThan(2e-3 + 2e-2 * Math.abs(numeric));
        }
      }
      disposeClassifier(m);
    });
  }
});

describe('memory', () => {
  it('forward, loss and gradients with dropout leave tf.memory().numTensors unchanged', () => {
    const m = createClassifier(smallConfig({ encoder: 'lstm', pooling: 'mean+max', dropout: 0.3, embeddingDropout: 0.1, numLayers: 2 }), { seed: 5 });
    const ids = tf.tensor2d([[1, 2, 3], [4, 0, 0]], [2, 3], 'int32');
    const pass = () => {
      const { value, grads } = tf.variableGrads(() => classifierLoss(m, ids, [3, 1], [1, 0], { training: true, dropoutSeed: 7 }), Object.values(classifierWeights(m)));
      tf.dispose([value, ...Object.values(grads)]);
      tf.dispose(tf.tidy(() => classProbabilities(m.config, classifierLogits(m, ids, [3, 1]))));
    };
    pass();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) pass();
    expect(tf.memory().numTensors).toBe(before);
    ids.dispose();
    disposeClassifier(m);
  });
});

describe('initialisation', () => {
  it("'keras': embedding in U(±0.05), dense Glorot-uniform with zero bias", () => {
    const m = createClassifier(smallConfig({ init: 'keras', vocabSize: 50, embeddingSize: 8 }), { seed: 2 });
    const e = m.embedding.dataSync();
    expect(Math.max(...e.map(Math.abs))).toBeLessThanOrEqual(0.05);
    const [K, F] = m.dense.weight.shape;
    expect(Math.max(...m.dense.weight.dataSync().map(Math.abs))).toBeLessThanOrEqual(Math.sqrt(6 / (F + K)));
    expect(Array.from(m.dense.bias!.dataSync())).toEqual([0]);
    disposeClassifier(m);
  });
});

describe('named errors', () => {
  it('a config field out of range names it', () => {
    expect(() => createClassifier(smallConfig({ pooling: 'median' as never }))).toThrow(/pooling: expected one of last, mean, max, mean\+max, flatten, got 'median'/);
    expect(() => createClassifier(smallConfig({ loss: 'binary', numClasses: 3 }))).toThrow(/loss: 'binary' is for 2 classes, got numClasses 3/);
    expect(() => createClassifier(smallConfig({ encoder: 'none', pooling: 'last' }))).toThrow(/'last' needs a recurrent encoder/);
  });

  it('a label outside the classes names the sample', () => {
    const m = createClassifier(smallConfig(), { seed: 1 });
    expect(() => classifierLoss(m, tf.tensor2d([[1], [2]], [2, 1], 'int32'), [1, 1], [0, 2])).toThrow(/labels\[1\]: expected an integer in \[0, 1\], got 2/);
    disposeClassifier(m);
  });

  it('flatten with the wrong number of steps names the shape', () => {
    const m = createClassifier(smallConfig({ encoder: 'none', pooling: 'flatten' }), { seed: 1 });
    expect(() => classifierLogits(m, tf.tensor2d([[1, 2]], [1, 2], 'int32'), [2])).toThrow(/needs exactly maxLength = 6 steps, got shape \[1,2\]/);
    disposeClassifier(m);
  });
});
