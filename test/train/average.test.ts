import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { averageWeights, epochWeightsPath, loadWeights, saveWeights, trainLoop } from '../../src/index.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'sori-average-'));

/** Weights files holding w = values[k] and b = 10·k, one per k. */
function files(dir: string, values: number[][]): string[] {
  return values.map((w, k) => {
    const path = join(dir, `m${k}.safetensors`);
    const weights = { w: tf.variable(tf.tensor2d([w])), b: tf.variable(tf.scalar(10 * k)) };
    saveWeights(path, weights);
    tf.dispose(Object.values(weights));
    return path;
  });
}

describe('averageWeights', () => {
  it('assigns every weight the mean of its stored values: (1, 2), (3, 6), (5, 1) → (3, 3); b 0, 10, 20 → 10', () => {
    const paths = files(tmp(), [[1, 2], [3, 6], [5, 1]]);
    const weights = { w: tf.variable(tf.zeros([1, 2])), b: tf.variable(tf.scalar(-1)) };
    averageWeights(paths, weights);
    expect(weights.w.arraySync()).toEqual([[3, 3]]);
    expect(weights.b.arraySync()).toBe(10);
    tf.dispose(Object.values(weights));
  });

  it('leaves the tensor count as it was', () => {
    const paths = files(tmp(), [[1, 2], [3, 4]]);
    const weights = { w: tf.variable(tf.zeros([1, 2])), b: tf.variable(tf.scalar(0)) };
    const before = tf.memory().numTensors;
    averageWeights(paths, weights);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(Object.values(weights));
  });

  it('names the file and the weight whose shape differs from the model, and rejects an empty list', () => {
    const [path] = files(tmp(), [[1, 2]]);
    const weights = { w: tf.variable(tf.zeros([2, 1])), b: tf.variable(tf.scalar(0)) };
    expect(() => averageWeights([path], weights)).toThrow(`${path}: weight 'w' has shape [1,2], the model expects [2,1]`);
    expect(() => averageWeights([], weights)).toThrow(/paths is empty/);
    tf.dispose(Object.values(weights));
  });
});

describe('trainLoop keepEpochs', () => {
  it("keeps each epoch's weights as epoch-N.safetensors, the last one equal to the final weights", async () => {
    const dir = tmp();
    const w = tf.variable(tf.zeros([1, 1]));
    const x = tf.tensor2d([[1], [2]]);
    const seen: number[] = [];
    await trainLoop({
      dir,
      weights: { w },
      optimizer: tf.train.sgd(0.1),
      epochs: 3,
      keepEpochs: true,
      batches: () => [x],
      loss: (b) => tf.mean(tf.square(tf.sub(tf.matMul(b, w), 1))) as tf.Scalar,
      validate: async () => {
        seen.push(w.dataSync()[0]);
        return { score: 0 };
      },
      log: () => {},
    });
    expect(readdirSync(dir).filter((f) => f.startsWith('epoch-')).sort()).toEqual(['epoch-1.safetensors', 'epoch-2.safetensors', 'epoch-3.safetensors']);
    const stored = { w: tf.variable(tf.zeros([1, 1])) };
    for (const epoch of [1, 2, 3]) {
      loadWeights(epochWeightsPath(dir, epoch), stored);
      expect(stored.w.dataSync()[0]).toBe(seen[epoch - 1]);
    }
    tf.dispose([w, x, stored.w]);
  });
});
