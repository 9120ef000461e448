/**
 * The autoregressive model AR(τ) of the lecture notes, one per target, fitted by least squares:
 *
 *   ŷ_n = c + Σ_{i=1..τ} a_i x_{n−i}
 *
 * where x is the target's input series (the feature column: for `return` the intraday return,
 * 0 at a day's first bar) and y the target (masked where undefined). (c, a) minimise
 * Σ_n (y_n − ŷ_n)² over the training rows n, solved by QR in ml-matrix. Forecasts K minutes
 * ahead iterate the recursion, each prediction taking the place of the unseen value.
 */
import { Matrix, solve } from 'ml-matrix';

export interface ArModel {
  /** τ: lags. */
  order: number;
  /** c */
  intercept: number;
  /** a_1 … a_τ: a_i multiplies x_{n−i}. */
  coefficients: number[];
}

/**
 * Fit AR(τ) by least squares on the rows `rows` (targets y_n with mask_n = 1 and n ≥ τ).
 *
 * @param x input series [N]
 * @param y targets [N]
 * @param mask [N], 1 where y_n is defined (default all)
 */
export function fitAr(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  order: number,
  rows: readonly number[],
  mask?: ArrayLike<number>,
): ArModel {
  if (!(Number.isInteger(order) && order >= 0)) throw new Error(`AR order τ: expected an integer ≥ 0, got ${order}`);
  if (x.length !== y.length) throw new Error(`fitAr: x has ${x.length} values, y ${y.length}`);
  const used = rows.filter((n) => n >= order && n < y.length && (!mask || mask[n]));
  if (used.length < order + 1) {
    throw new Error(`fitAr: AR(${order}) has ${order + 1} unknowns but only ${used.length} usable rows`);
  }
  const design = used.map((n) => [1, ...Array.from({ length: order }, (_, i) => x[n - 1 - i])]); // [R, 1 + τ]
  const rhs = Matrix.columnVector(used.map((n) => y[n])); // [R, 1]
  const w = solve(new Matrix(design), rhs).to1DArray(); // least squares by QR
  if (!w.every(Number.isFinite)) throw new Error(`fitAr: AR(${order}) least squares gave non-finite coefficients`);
  return { order, intercept: w[0], coefficients: w.slice(1) };
}

/**
 * Forecast K steps after the end of `history` (its last τ values are x_{s−τ+1} … x_s, most
 * recent last): returns ŷ_{s+1} … ŷ_{s+K}, each later step fed the earlier predictions.
 */
export function arForecast(model: ArModel, history: ArrayLike<number>, K: number): number[] {
  const { order, intercept, coefficients } = model;
  if (history.length < order) throw new Error(`arForecast: AR(${order}) needs ${order} past values, got ${history.length}`);
  const buffer = Array.from(history).slice(history.length - order);
  const out: number[] = [];
  for (let k = 0; k < K; k++) {
    let v = intercept;
    for (let i = 1; i <= order; i++) v += coefficients[i - 1] * buffer[buffer.length - i];
    out.push(v);
    buffer.push(v);
  }
  return out;
}

/**
 * Choose τ among `orders`: fit on `trainRows`, score the one-step squared error on `devRows`
 * (the criterion least squares minimises); the smallest dev MSE wins (the smaller τ on a tie).
 */
export function chooseArOrder(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  orders: readonly number[],
  trainRows: readonly number[],
  devRows: readonly number[],
  mask?: ArrayLike<number>,
): { model: ArModel; devMse: Record<number, number> } {
  if (orders.length === 0) throw new Error('chooseArOrder: no candidate orders');
  const devMse: Record<number, number> = {};
  let best: ArModel | undefined;
  let bestMse = Infinity;
  for (const order of [...orders].sort((a, b) => a - b)) {
    const model = fitAr(x, y, order, trainRows, mask);
    let sum = 0;
    let count = 0;
    for (const n of devRows) {
      if (n < order || (mask && !mask[n])) continue;
      const [p] = arForecast(model, Array.from({ length: order }, (_, i) => x[n - order + i]), 1);
      sum += (p - y[n]) ** 2;
      count++;
    }
    if (count === 0) throw new Error(`chooseArOrder: no dev row usable for AR(${order})`);
    devMse[order] = sum / count;
    if (devMse[order] < bestMse) (bestMse = devMse[order]), (best = model);
  }
  return { model: best!, devMse };
}
