import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { mulberry32, specAugment } from '../../src/index.ts';

const ones = (B: number, T: number, F: number) => tf.ones([B, T, F]) as tf.Tensor3D;

describe('specAugment', () => {
  it('changes nothing with zero masks', () => {
    const x = tf.randomNormal([2, 5, 4]) as tf.Tensor3D;
    const y = specAugment(x, [5, 3], { freqMasks: 0, freqWidth: 3, timeMasks: 0, timeWidth: 3 }, mulberry32(1));
    expect(Array.from(y.dataSync())).toEqual(Array.from(x.dataSync()));
  });

  it('zeroes whole feature bins across every frame for a frequency mask', () => {
    const y = specAugment(ones(1, 6, 8), [6], { freqMasks: 1, freqWidth: 8, timeMasks: 0, timeWidth: 0 }, mulberry32(3));
    const rows = y.arraySync()[0];
    for (const row of rows) expect(row).toEqual(rows[0]); // the same bins in every frame
    expect(rows[0].filter((v) => v === 0).length).toBeLessThanOrEqual(8);
  });

  it('keeps time masks inside each utterance and leaves padding alone', () => {
    for (let seed = 0; seed < 20; seed++) {
      const y = specAugment(ones(1, 10, 2), [4], { freqMasks: 0, freqWidth: 0, timeMasks: 2, timeWidth: 10 }, mulberry32(seed));
      const frames = y.arraySync()[0].map((row) => row[0]);
      expect(frames.slice(4)).toEqual([1, 1, 1, 1, 1, 1]);
    }
  });

  it('draws the same masks from the same seed', () => {
    const cfg = { freqMasks: 2, freqWidth: 3, timeMasks: 2, timeWidth: 4 };
    const a = specAugment(ones(3, 12, 13), [12, 7, 3], cfg, mulberry32(42)).dataSync();
    const b = specAugment(ones(3, 12, 13), [12, 7, 3], cfg, mulberry32(42)).dataSync();
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('rejects lengths that do not match the batch, naming them', () => {
    expect(() => specAugment(ones(2, 3, 2), [3], { freqMasks: 0, freqWidth: 0, timeMasks: 0, timeWidth: 0 }, Math.random)).toThrow(
      /lengths: expected 2 entries/,
    );
  });
});
