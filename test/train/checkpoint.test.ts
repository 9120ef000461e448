import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { cosineSchedule, decodeSafetensors, encodeSafetensors, trainLoop, writeFileAtomic } from '../../src/index.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'sori-train-'));

describe('safetensors', () => {
  it('writes the documented layout: u64 header length, JSON header, little-endian data', () => {
    const bytes = encodeSafetensors({ a: tf.tensor1d([1, 2]) }, { note: 'x' });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    const header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + n)).toString());
    expect(header.a).toEqual({ dtype: 'F32', shape: [2], data_offsets: [0, 8] });
    expect(header.__metadata__).toEqual({ note: 'x' });
    // 1.0f = 0x3f800000, 2.0f = 0x40000000, little-endian
    expect([...bytes.subarray(8 + n)]).toEqual([0, 0, 0x80, 0x3f, 0, 0, 0, 0x40]);
  });

  it('round-trips float32 and int32 tensors with their shapes', () => {
    const a = tf.tensor2d([[1.5, -2], [3, 4]]);
    const b = tf.tensor1d([7, -8, 9], 'int32');
    const { tensors } = decodeSafetensors(encodeSafetensors({ a, b }));
    expect(tensors.a.shape).toEqual([2, 2]);
    expect(Array.from(tensors.a.dataSync())).toEqual([1.5, -2, 3, 4]);
    expect(tensors.b.dtype).toBe('int32');
    expect(Array.from(tensors.b.dataSync())).toEqual([7, -8, 9]);
  });

  it('names the file when the header runs past the end', () => {
    const bytes = new Uint8Array(16);
    new DataView(bytes.buffer).setBigUint64(0, 100n, true);
    expect(() => decodeSafetensors(bytes, 'bad.safetensors')).toThrow(/bad.safetensors: header length 100/);
  });
});

describe('writeFileAtomic', () => {
  it('replaces the file and leaves no temporary file behind', () => {
    const dir = tmp();
    const path = join(dir, 'sub', 'f.json');
    writeFileAtomic(path, 'one');
    writeFileAtomic(path, 'two');
    expect(readFileSync(path, 'utf8')).toBe('two');
    expect(readdirSync(join(dir, 'sub'))).toEqual(['f.json']);
  });
});

/** A one-weight regression y = 3x trained with Adam: small enough to compare runs exactly. */
function setup(dir: string, epochs: number, resume = false) {
  const w = tf.variable(tf.zeros([1, 1]));
  const xs = [1, 2, 3, 4].map((v) => tf.tensor2d([[v]]));
  return {
    w,
    run: () =>
      trainLoop({
        dir,
        weights: { w },
        optimizer: tf.train.adam(0.1),
        epochs,
        resume,
        batches: () => xs,
        loss: (x) => tf.mean(tf.square(tf.sub(tf.matMul(x, w), tf.mul(x, 3)))) as tf.Scalar,
        validate: async () => ({ score: Math.abs(w.dataSync()[0] - 3) }),
        log: () => {},
      }),
  };
}

describe('trainLoop', () => {
  it('resumed training ends exactly where an uninterrupted run ends', async () => {
    const straight = setup(tmp(), 3);
    await straight.run();
    const dir = tmp();
    await setup(dir, 1).run(); // "killed" after epoch 1
    const resumed = setup(dir, 3, true);
    const state = await resumed.run();
    expect(state.epoch).toBe(3);
    expect(state.history.map((h) => h.epoch)).toEqual([1, 2, 3]);
    expect(resumed.w.dataSync()[0]).toBeCloseTo(straight.w.dataSync()[0], 6);
  });

  it('refuses to overwrite an earlier run unless told to resume', async () => {
    const dir = tmp();
    await setup(dir, 1).run();
    await expect(setup(dir, 2).run()).rejects.toThrow(/pass --resume/);
  });

  it('keeps the best model of all epochs', async () => {
    const dir = tmp();
    const state = await setup(dir, 2).run();
    expect(readdirSync(dir).sort()).toEqual(['best.safetensors', 'checkpoint.safetensors']);
    expect(state.bestEpoch).toBeGreaterThan(0);
  });

  it('holds the same number of tensors after every epoch (no leak)', async () => {
    const w = tf.variable(tf.zeros([1, 1]));
    const x = tf.tensor2d([[1], [2]]);
    const counts: number[] = [];
    await trainLoop({
      dir: tmp(),
      weights: { w },
      optimizer: tf.train.adam(0.1),
      epochs: 4,
      batches: () => [x, x, x],
      loss: (b) => tf.mean(tf.square(tf.sub(tf.matMul(b, w), 1))) as tf.Scalar,
      validate: async () => {
        counts.push(tf.memory().numTensors);
        return { score: 0 };
      },
      log: () => {},
    });
    // epoch 1 creates Adam's slots; from then on the count is flat
    expect(counts.slice(1)).toEqual([counts[1], counts[1], counts[1]]);
  });
});

describe('cosineSchedule', () => {
  it('starts at the initial rate, ends at the final one and passes their mean half way', () => {
    const lr = cosineSchedule(0.01, 0.001, 5);
    expect(lr(1)).toBeCloseTo(0.01, 12);
    expect(lr(3)).toBeCloseTo(0.0055, 12); // cos(π/2) = 0
    expect(lr(5)).toBeCloseTo(0.001, 12);
  });
});

describe('trainLoop learningRate', () => {
  it.each([
    ['sgd', () => tf.train.sgd(123)],
    ['adam', () => tf.train.adam(123, 0.0, 0.0, 1e-12)], // β = 0: each step is −η·g/|g| = −η
  ])('sets the rate of each epoch on the %s optimizer before the epoch runs', async (_name, make) => {
    const w = tf.variable(tf.zeros([1]));
    const sgd = make();
    const seen: number[] = [];
    await trainLoop({
      dir: tmp(),
      weights: { w },
      optimizer: sgd,
      epochs: 3,
      learningRate: (e) => e / 10,
      batches: () => [0],
      loss: () => tf.sum(w) as tf.Scalar, // gradient 1: each step moves w by −η
      validate: async () => {
        seen.push(w.dataSync()[0]);
        return { score: 0 };
      },
      log: () => {},
    });
    expect(seen.map((v) => +v.toFixed(6))).toEqual([-0.1, -0.3, -0.6]);
  });
});
