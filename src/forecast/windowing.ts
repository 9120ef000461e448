/**
 * Windows over a multivariate series for forecasting. Window b ends at bar s_b (its last input
 * bar) and holds
 *
 *   x[b] = standardised features of bars s_b − T + 1 … s_b       [T, F]
 *   y[b] = standardised targets of bars s_b + 1 … s_b + K         [K, C]
 *   m[b] = 1 where that target is defined and its bar is one the caller asked for (`targetRows`),
 *          else 0 (the entry of y is then 0)                      [K, C]
 *
 * so a prediction made from x[b] only sees bars up to s_b: the k-th row of y is the minute
 * s_b + k, k = 1 … K. T is the window (input steps), K the horizon.
 */
import { C, F, type Series } from './series.ts';
import { standardize, type Standardizer } from './standardize.ts';

export interface Windows {
  /** s_b, the last input bar of each window [B]. */
  ends: number[];
  /** [B, T, F] row-major */
  x: Float32Array;
  /** [B, K, C] row-major */
  y: Float32Array;
  /** [B, K, C] row-major, 1 or 0 */
  mask: Float32Array;
  T: number;
  K: number;
}

export interface WindowOptions {
  /** T: input steps per window. */
  window: number;
  /** K: minutes predicted after each window. */
  horizon: number;
  /** Standardises the F features (fitted on the training days). */
  features: Standardizer;
  /** Standardises the C targets (fitted on the training days). */
  targets: Standardizer;
}

/**
 * The window ends s with a full window (s ≥ T − 1) whose K predicted minutes s + 1 … s + K
 * include at least one of `targetRows`, in increasing order.
 */
export function windowEnds(N: number, { window: T, horizon: K }: { window: number; horizon: number }, targetRows: readonly number[]): number[] {
  const ends = new Set<number>();
  for (const n of targetRows) {
    if (!(Number.isInteger(n) && n >= 0 && n < N)) throw new Error(`windowEnds: target row ${n} is outside [0, ${N})`);
    for (let k = 1; k <= K; k++) if (n - k >= T - 1) ends.add(n - k);
  }
  return [...ends].sort((a, b) => a - b);
}

/**
 * Cut the windows ending at `ends` out of `series`. `targetRows` (default: every bar) are the
 * bars whose targets count; the others are masked, as are bars past the end of the series.
 */
export function makeWindows(series: Series, ends: readonly number[], opts: WindowOptions, targetRows?: readonly number[]): Windows {
  const { window: T, horizon: K } = opts;
  if (!(Number.isInteger(T) && T >= 1)) throw new Error(`window: expected an integer ≥ 1, got ${T}`);
  if (!(Number.isInteger(K) && K >= 1)) throw new Error(`horizon: expected an integer ≥ 1, got ${K}`);
  const wanted = targetRows ? new Set(targetRows) : undefined;
  const B = ends.length;
  const x = new Float32Array(B * T * F);
  const y = new Float32Array(B * K * C);
  const mask = new Float32Array(B * K * C);
  ends.forEach((s, b) => {
    if (!(Number.isInteger(s) && s >= T - 1 && s < series.length)) {
      throw new Error(`makeWindows: window end ${s} needs ${T} bars up to it within [0, ${series.length})`);
    }
    for (let t = 0; t < T; t++) {
      const n = s - T + 1 + t;
      for (let f = 0; f < F; f++) x[(b * T + t) * F + f] = standardize(opts.features, f, series.features[n * F + f]);
    }
    for (let k = 1; k <= K; k++) {
      const n = s + k;
      if (n >= series.length || (wanted && !wanted.has(n))) continue;
      for (let c = 0; c < C; c++) {
        if (!series.targetMask[n * C + c]) continue;
        const i = (b * K + k - 1) * C + c;
        y[i] = standardize(opts.targets, c, series.targets[n * C + c]);
        mask[i] = 1;
      }
    }
  });
  return { ends: [...ends], x, y, mask, T, K };
}
