// AR(τ) by least squares: against numpy.linalg.lstsq (fixture), exact recovery of a noise-free
// AR(2), the K-step recursion worked by hand, and the choice of τ on dev.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { arForecast, chooseArOrder, fitAr } from '../../src/index.ts';

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/forecast/ar-lstsq.json'), 'utf8'));

describe('fitAr', () => {
  it('matches numpy.linalg.lstsq on a noisy series with masked targets (make_forecast_fixtures.py)', () => {
    const { x, mask, trainRows, order } = fixture;
    const model = fitAr(x, x, order, trainRows, mask);
    expect(model.order).toBe(3);
    expect(model.intercept).toBeCloseTo(fixture.intercept, 10);
    model.coefficients.forEach((a, i) => expect(a).toBeCloseTo(fixture.coefficients[i], 10));
  });

  it('recovers the coefficients of a noise-free AR(2) exactly', () => {
    // x_n = 1 + 0.5 x_{n−1} − 0.3 x_{n−2}, started off its fixed point so it moves
    const x = [3, -2];
    for (let n = 2; n < 40; n++) x.push(1 + 0.5 * x[n - 1] - 0.3 * x[n - 2]);
    const rows = Array.from({ length: 40 }, (_, n) => n);
    const model = fitAr(x, x, 2, rows);
    expect(model.intercept).toBeCloseTo(1, 9);
    expect(model.coefficients[0]).toBeCloseTo(0.5, 9);
    expect(model.coefficients[1]).toBeCloseTo(-0.3, 9);
  });

  it('names the order when there are fewer rows than unknowns', () => {
    expect(() => fitAr([1, 2, 3], [1, 2, 3], 2, [0, 1, 2])).toThrow(/AR\(2\) has 3 unknowns but only 1 usable rows/);
  });
});

describe('arForecast', () => {
  it('iterates the recursion on its own predictions (AR(1), c = 1, a = 0.5, from 4: 3, 2.5, 2.25)', () => {
    expect(arForecast({ order: 1, intercept: 1, coefficients: [0.5] }, [7, 4], 3)).toEqual([3, 2.5, 2.25]);
  });

  it('gives a_1 to the most recent value (AR(2), c = 0, a = [1, 10], history 2, 3 → 3 + 20 = 23)', () => {
    expect(arForecast({ order: 2, intercept: 0, coefficients: [1, 10] }, [2, 3], 1)).toEqual([23]);
  });
});

describe('chooseArOrder', () => {
  it('keeps the order with the lowest dev one-step MSE, reported for every candidate', () => {
    const { x, mask } = fixture;
    const train = Array.from({ length: 60 }, (_, n) => n);
    const dev = Array.from({ length: 20 }, (_, n) => 60 + n);
    const { model, devMse } = chooseArOrder(x, x, [1, 2, 3], train, dev, mask);
    expect(Object.keys(devMse).map(Number)).toEqual([1, 2, 3]);
    const best = Math.min(...Object.values(devMse));
    expect(devMse[model.order]).toBe(best);
  });
});

describe('fitAr against the normal equations', () => {
  it('solves (AᵀA) w = Aᵀy, here by Gaussian elimination in the test', () => {
    const { x, mask, trainRows, order } = fixture as { x: number[]; mask: number[]; trainRows: number[]; order: number };
    const rows = trainRows.filter((n) => n >= order && mask[n]);
    const A = rows.map((n) => [1, ...Array.from({ length: order }, (_, i) => x[n - 1 - i])]);
    const P = order + 1;
    // augmented [AᵀA | Aᵀy]
    const M = Array.from({ length: P }, (_, i) => [
      ...Array.from({ length: P }, (_, j) => A.reduce((s, a) => s + a[i] * a[j], 0)),
      A.reduce((s, a, r) => s + a[i] * x[rows[r]], 0),
    ]);
    for (let i = 0; i < P; i++) {
      for (let r = i + 1; r < P; r++) {
        const f = M[r][i] / M[i][i];
        for (let c = i; c <= P; c++) M[r][c] -= f * M[i][c];
      }
    }
    const w = new Array<number>(P).fill(0);
    for (let i = P - 1; i >= 0; i--) w[i] = (M[i][P] - M[i].slice(i + 1, P).reduce((s, m, j) => s + m * w[i + 1 + j], 0)) / M[i][i];
    const model = fitAr(x, x, order, trainRows, mask);
    expect(model.intercept).toBeCloseTo(w[0], 9);
    model.coefficients.forEach((a, i) => expect(a).toBeCloseTo(w[i + 1], 9));
  });
});
