// Length-bucketed batches: every sample once per epoch, similar lengths together, repeatable.
import { describe, expect, it } from 'vitest';
import { lengthBucketedBatches, padRows, sortedBatches } from '../../src/index.ts';

const lengths = Array.from({ length: 100 }, (_, i) => (i * 37) % 101);

describe('lengthBucketedBatches', () => {
  it('holds every sample exactly once, in batches of at most B', () => {
    const batches = lengthBucketedBatches(lengths, { batchSize: 8, seed: 1, poolBatches: 4 });
    expect(batches.flat().sort((a, b) => a - b)).toEqual(lengths.map((_, i) => i));
    expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(8);
  });

  it('pads far less than random batches: each batch spans a narrow range of lengths', () => {
    const batches = lengthBucketedBatches(lengths, { batchSize: 8, seed: 1 }); // one pool of 50 batches holds all 100
    const spread = batches.map((b) => Math.max(...b.map((i) => lengths[i])) - Math.min(...b.map((i) => lengths[i])));
    expect(spread.reduce((s, v) => s + v, 0) / spread.length).toBeLessThan(12); // sorted: ~100/13; random batches of 8 over [0, 100]: ~78
  });

  it('the same seed gives the same batches, another seed others', () => {
    const a = lengthBucketedBatches(lengths, { batchSize: 8, seed: 1 });
    expect(lengthBucketedBatches(lengths, { batchSize: 8, seed: 1 })).toEqual(a);
    expect(lengthBucketedBatches(lengths, { batchSize: 8, seed: 2 })).not.toEqual(a);
  });
});

describe('sortedBatches and padRows', () => {
  it('sortedBatches orders by length (ties by index)', () => {
    expect(sortedBatches([3, 1, 2, 1], 2)).toEqual([[1, 3], [2, 0]]);
  });

  it('padRows pads with 0 to the longest row (at least 1 step), or to padTo', () => {
    const { ids, lengths: L } = padRows([[5, 6, 7], [8], []]);
    expect(ids.arraySync()).toEqual([[5, 6, 7], [8, 0, 0], [0, 0, 0]]);
    expect(L).toEqual([3, 1, 0]);
    expect(padRows([[]]).ids.shape).toEqual([1, 1]);
    expect(padRows([[1]], 4).ids.arraySync()).toEqual([[1, 0, 0, 0]]);
    expect(() => padRows([[1, 2, 3]], 2)).toThrow(/a row of 3 ids is longer than padTo 2/);
  });
});
