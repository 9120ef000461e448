// Scores and baselines on a case worked by hand.
import { describe, expect, it } from 'vitest';
import { barSeries, constantForecast, parseBarsCsv, persistenceForecast, scoreForecast, zeroForecast } from '../../src/index.ts';

// closes 100, 101, 100, 100, 102 within one day: returns (masked), ln 1.01, ln(100/101), 0, ln 1.02
const csv = ['Datetime,Open,High,Low,Close,Volume']
  .concat([100, 101, 100, 100, 102].map((c, i) => `2024-05-09 09:3${i}:00-04:00,${c},${c + 1},${c - 1},${c},${(i + 1) * 10}`))
  .join('\n');
const series = barSeries(parseBarsCsv(csv));

describe('baselines', () => {
  it('persistence repeats the last value for every k; zero and constants fill', () => {
    const p = persistenceForecast(series, [1], 2); // [1, 2, 3]
    expect(p[0]).toBeCloseTo(Math.log(1.01), 12); // return of bar 1
    expect(p[1]).toBeCloseTo(Math.log(21), 12); // ln(1 + 20)
    expect(p[3]).toBe(p[0]);
    expect(Array.from(zeroForecast([1], 2))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Array.from(constantForecast([1, 2], 1, [1, 2, 3]))).toEqual([1, 2, 3, 1, 2, 3]);
  });
});

describe('scoreForecast', () => {
  it('gives MAE, RMSE and directional accuracy over the kept entries', () => {
    // windows ending at bars 1, 2, 3 predict bars 2, 3, 4 (K = 1); returns there: ln(100/101), 0, ln 1.02
    const y = [Math.log(100 / 101), 0, Math.log(1.02)];
    const pred = [0.01, 0, 0, -0.01, 0, 0, 0.01, 0, 0]; // return forecasts +0.01, −0.01, +0.01
    const mask = [1, 0, 0, 1, 0, 0, 1, 0, 0];
    const s = scoreForecast(series, [1, 2, 3], 1, pred, mask);
    const errors = [0.01 - y[0], -0.01 - y[1], 0.01 - y[2]];
    expect(s.mae[0][0]).toBeCloseTo(errors.reduce((a, e) => a + Math.abs(e), 0) / 3, 12);
    expect(s.rmse[0][0]).toBeCloseTo(Math.sqrt(errors.reduce((a, e) => a + e * e, 0) / 3), 12);
    expect(s.count[0]).toEqual([3, 0, 0]);
    // bar 3's return is 0: not counted; bar 2 down vs +: wrong; bar 4 up vs +: right
    expect(s.directionCount[0]).toBe(2);
    expect(s.direction[0]).toBe(0.5);
  });

  it('leaves the directional accuracy of an always-zero forecast undefined', () => {
    const s = scoreForecast(series, [1, 2, 3], 1, new Array(9).fill(0), new Array(9).fill(1));
    expect(s.direction[0]).toBeNaN();
  });
});
