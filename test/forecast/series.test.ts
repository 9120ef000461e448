// Targets and features of a bar, worked by hand; the overnight return is masked.
import { describe, expect, it } from 'vitest';
import { barSeries, FEATURES, parseBarsCsv, TARGETS } from '../../src/index.ts';

const csv = [
  'Datetime,Open,High,Low,Close,Volume',
  '2024-05-09 15:59:00-04:00,100,101,99,100,999', // last bar of a day
  '2024-05-10 09:30:00-04:00,104,106,103,105,0', // next day's open: the return spans the night
  '2024-05-10 09:31:00-04:00,105,106,104,104,99',
].join('\n');

describe('barSeries', () => {
  const bars = parseBarsCsv(csv);
  const s = barSeries(bars);
  const C = TARGETS.length;
  const F = FEATURES.length;

  it('computes return, logvolume and range by their definitions', () => {
    // bar 2: ln(104/105), ln(1 + 99), ln(106/104)
    expect(s.targets[2 * C + 0]).toBeCloseTo(Math.log(104 / 105), 12);
    expect(s.targets[2 * C + 1]).toBeCloseTo(Math.log(100), 12);
    expect(s.targets[2 * C + 2]).toBeCloseTo(Math.log(106 / 104), 12);
    expect(s.targets[1 * C + 1]).toBe(0); // ln(1 + 0)
  });

  it("masks the return of a day's first bar and of the first bar, not its volume or range", () => {
    expect(Array.from(s.targetMask)).toEqual([0, 1, 1, 0, 1, 1, 1, 1, 1]);
  });

  it("enters a day's first return as 0 in the features and flags the open", () => {
    expect(s.features[1 * F + FEATURES.indexOf('return')]).toBe(0);
    expect(s.features[1 * F + FEATURES.indexOf('open')]).toBe(1);
    expect(s.features[2 * F + FEATURES.indexOf('open')]).toBe(0);
  });

  it('puts the clock at 0 for 09:30 and near 1 for 15:59', () => {
    expect(s.features[1 * F + FEATURES.indexOf('session')]).toBe(0);
    expect(s.features[0 * F + FEATURES.indexOf('session')]).toBeCloseTo(389 / 390, 12);
    expect(s.features[1 * F + FEATURES.indexOf('clockCos')]).toBe(1);
  });
});
