import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { cosineSchedule, loadCheckpoint, mulberry32, trainLoop } from '../../src/index.ts';

const EPOCHS = 4;

/** A two-layer regression trained with Adam, a cosine schedule and 8 batches per epoch. */
function run(dir: string, { resume = false, killAfter = 0 } = {}) {
  const random = mulberry32(5);
  const init = (r: number, c: number) => tf.tensor2d(Array.from({ length: r * c }, () => random() - 0.5), [r, c]);
  const w1 = tf.variable(init(3, 5));
  const w2 = tf.variable(init(5, 1));
  const data = mulberry32(9);
  const batches = Array.from({ length: 8 }, () => {
    const x = Array.from({ length: 12 }, () => data() * 2 - 1);
    return { x: tf.tensor2d(x, [4, 3]), y: tf.tensor2d([0, 1, 2, 3].map((i) => Math.sin(x[3 * i] + 2 * x[3 * i + 1] - x[3 * i + 2])), [4, 1]) };
  });
  const optimizer = tf.train.adam(0.05);
  const done = trainLoop({
    dir,
    weights: { w1, w2 },
    optimizer,
    epochs: EPOCHS,
    resume,
    learningRate: cosineSchedule(0.05, 0.005, EPOCHS),
    batches: (epoch) => batches.slice(epoch % 3).concat(batches.slice(0, epoch % 3)),
    loss: ({ x, y }) => tf.losses.meanSquaredError(y, tf.matMul(tf.tanh(tf.matMul(x, w1)), w2)) as tf.Scalar,
    validate: async (epoch) => ({ score: 1 / epoch }),
    log: (line) => {
      // a "kill" right after the checkpoint of epoch `killAfter` is on disk
      if (killAfter && new RegExp(`^epoch ${killAfter}(/\\d+)?: (train )?loss`).test(line)) throw new Error('killed');
    },
  });
  const bytes = () => new Uint8Array([...w1.dataSync(), ...w2.dataSync()].flatMap((v) => [...new Uint8Array(new Float32Array([v]).buffer)]));
  return { done, bytes, optimizer, dispose: () => tf.dispose([w1, w2, ...batches.flatMap((b) => [b.x, b.y])]) };
}

describe('resuming after a kill', () => {
  it('ends with weights byte-identical to an uninterrupted run, whichever epoch it was killed after', async () => {
    const straight = run(mkdtempSync(join(tmpdir(), 'sori-resume-')));
    await straight.done;
    const expected = straight.bytes();
    straight.dispose();
    for (let k = 1; k < EPOCHS; k++) {
      const dir = mkdtempSync(join(tmpdir(), 'sori-resume-'));
      const killed = run(dir, { killAfter: k });
      await expect(killed.done).rejects.toThrow('killed');
      killed.dispose();
      const resumed = run(dir, { resume: true });
      const state = await resumed.done;
      expect(state.history.map((h) => h.epoch)).toEqual([1, 2, 3, 4]);
      expect(resumed.bytes(), `killed after epoch ${k}`).toEqual(expected);
      resumed.dispose();
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    }
  });

  it("restores Adam's bias-correction powers β₁ᵗ, β₂ᵗ exactly (not recomputed with a float32 pow)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sori-resume-'));
    const live = run(dir, { killAfter: 3 });
    await expect(live.done).rejects.toThrow('killed');
    const acc = (o: tf.Optimizer) => {
      const a = o as unknown as { accBeta1: tf.Variable; accBeta2: tf.Variable };
      return [a.accBeta1.dataSync()[0], a.accBeta2.dataSync()[0]];
    };
    const w = { w1: tf.variable(tf.zeros([3, 5])), w2: tf.variable(tf.zeros([5, 1])) };
    const restored = tf.train.adam(0.05);
    const state = await loadCheckpoint(join(dir, 'checkpoint.safetensors'), w, restored);
    expect(state.epoch).toBe(3);
    expect(acc(restored)).toEqual(acc(live.optimizer));
    expect(restored.iterations).toBe(live.optimizer.iterations);
    live.dispose();
    tf.dispose([w.w1, w.w2]);
    restored.dispose();
  });
});

describe('loading a checkpoint into another model', () => {
  it("refuses optimizer moments whose shapes do not follow the model's weights, naming the slot", async () => {
    const { saveCheckpoint } = await import('../../src/index.ts');
    const dir = mkdtempSync(join(tmpdir(), 'sori-resume-'));
    const a = { w1: tf.variable(tf.ones([2, 3])), w2: tf.variable(tf.ones([3])) };
    const opt = tf.train.adam(0.1);
    opt.applyGradients({ [a.w1.name]: tf.onesLike(a.w1), [a.w2.name]: tf.onesLike(a.w2) } as unknown as Record<string, tf.Variable>);
    const path = join(dir, 'checkpoint.safetensors');
    await saveCheckpoint(path, a, opt, { epoch: 1, best: 0.5, bestEpoch: 1, history: [{ epoch: 1, score: 0.5 }] });
    // Same names and shapes, listed in the other order: the positional moments no longer fit.
    const b = { w2: tf.variable(tf.zeros([3])), w1: tf.variable(tf.zeros([2, 3])) };
    await expect(loadCheckpoint(path, b, tf.train.adam(0.1))).rejects.toThrow(/optimizer slot '.*\/m' has shape \[2,3\], the weight it belongs to \('.*'\) has \[3\]/);
    const c = { w1: tf.variable(tf.zeros([2, 3])), w2: tf.variable(tf.zeros([3])) };
    const state = await loadCheckpoint(path, c, tf.train.adam(0.1));
    expect(state.best).toBe(0.5);
    tf.dispose([a.w1, a.w2, b.w1, b.w2, c.w1, c.w2]);
  });
});
