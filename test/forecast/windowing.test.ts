// Windows [B, T, F] / [B, K, C]: shapes, which bars they hold, the masks, the window ends, and
// standardisation fitted on chosen rows only.
import { describe, expect, it } from 'vitest';
import { barSeries, FEATURES, fitStandardizer, makeWindows, parseBarsCsv, TARGETS, windowEnds } from '../../src/index.ts';
import { syntheticCsv } from './helpers.ts';

const series = barSeries(parseBarsCsv(syntheticCsv({ days: 2, barsPerDay: 20 })));
const F = FEATURES.length;
const C = TARGETS.length;
const identity = (D: number) => ({ mean: new Array(D).fill(0), std: new Array(D).fill(1) });
const opts = { window: 5, horizon: 3, features: identity(F), targets: identity(C) };

describe('makeWindows', () => {
  const w = makeWindows(series, [4, 10, 38], opts);

  it('cuts x [B, T, F], y [B, K, C] and mask [B, K, C]', () => {
    expect(w.x.length).toBe(3 * 5 * F);
    expect(w.y.length).toBe(3 * 3 * C);
    expect(w.mask.length).toBe(3 * 3 * C);
  });

  it('holds bars s − T + 1 … s as input and s + 1 … s + K as targets', () => {
    // window 1 ends at bar 10: its first step is bar 6, its last bar 10; its k = 2 target is bar 12
    for (let f = 0; f < F; f++) {
      expect(w.x[(1 * 5 + 0) * F + f]).toBeCloseTo(series.features[6 * F + f], 5);
      expect(w.x[(1 * 5 + 4) * F + f]).toBeCloseTo(series.features[10 * F + f], 5);
    }
    for (let c = 0; c < C; c++) expect(w.y[(1 * 3 + 1) * C + c]).toBeCloseTo(series.targets[12 * C + c], 5);
  });

  it('masks targets past the end of the series', () => {
    // window 2 ends at bar 38 of 40: k = 1 (bar 39) kept, k = 2, 3 masked
    expect(Array.from(w.mask.subarray(2 * 3 * C, 3 * 3 * C))).toEqual([1, 1, 1, 0, 0, 0, 0, 0, 0]);
  });

  it('masks targets outside the requested rows', () => {
    const m = makeWindows(series, [10], opts, [12]).mask; // only bar 12 (k = 2) counts
    expect(Array.from(m)).toEqual([0, 0, 0, 1, 1, 1, 0, 0, 0]);
  });

  it('masks the overnight return (bar 20 opens the second day)', () => {
    const m = makeWindows(series, [19], opts).mask;
    expect(Array.from(m.subarray(0, C))).toEqual([0, 1, 1]);
  });

  it('rejects a window that would start before the first bar', () => {
    expect(() => makeWindows(series, [3], opts)).toThrow(/window end 3 needs 5 bars/);
  });
});

describe('windowEnds', () => {
  it('gives every end whose K predicted minutes touch the rows, with a full window', () => {
    // rows 20…22, K = 3, T = 5: ends 17 … 21
    expect(windowEnds(series.length, opts, [20, 21, 22])).toEqual([17, 18, 19, 20, 21]);
    // near the start: ends below T − 1 = 4 are dropped
    expect(windowEnds(series.length, opts, [5, 6])).toEqual([4, 5]);
  });
});

describe('fitStandardizer', () => {
  it('fits μ and σ on the given rows only, skipping masked entries', () => {
    const values = [1, 100, 3, 100, 1000, 5]; // [3, 2]
    const mask = [1, 1, 1, 0, 1, 1];
    const s = fitStandardizer(values, 2, [0, 1], mask);
    expect(s.mean).toEqual([2, 100]); // column 1: only row 0 counts
    expect(s.std).toEqual([1, 1]); // column 1 is constant there: σ = 1
  });
});
