/**
 * Forecast errors per target c and horizon k over the entries a mask keeps:
 *
 *   MAE = Σ m |ŷ − y| / Σ m        RMSE = √(Σ m (ŷ − y)² / Σ m)
 *
 * and, for `return`, the directional accuracy: among kept minutes with y ≠ 0 and ŷ ≠ 0, the
 * fraction with sign ŷ = sign y (undefined for a forecast that is always 0, such as the zero
 * forecast; a coin flip scores 0.5).
 */
import { C, type Series } from './series.ts';

export interface ForecastScores {
  /** [K][C] */
  mae: number[][];
  /** [K][C] */
  rmse: number[][];
  /** entries scored [K][C] */
  count: number[][];
  /** directional accuracy of target 0 (`return`) per horizon [K]; NaN where no minute counts. */
  direction: number[];
  /** minutes counted for the directional accuracy [K] */
  directionCount: number[];
}

/**
 * Score predictions `pred` [B, K, C] of the minutes s_b + k (s_b = `ends[b]`) against the
 * series' targets, over the entries where `mask` [B, K, C] is 1.
 */
export function scoreForecast(
  series: Series,
  ends: readonly number[],
  K: number,
  pred: ArrayLike<number>,
  mask: ArrayLike<number>,
): ForecastScores {
  const size = ends.length * K * C;
  if (pred.length !== size || mask.length !== size) {
    throw new Error(`scoreForecast: pred has ${pred.length} and mask ${mask.length} values, expected B·K·C = ${size}`);
  }
  const grid = () => Array.from({ length: K }, () => new Array<number>(C).fill(0));
  const abs = grid();
  const sq = grid();
  const count = grid();
  const hits = new Array<number>(K).fill(0);
  const directionCount = new Array<number>(K).fill(0);
  ends.forEach((s, b) => {
    for (let k = 0; k < K; k++) {
      for (let c = 0; c < C; c++) {
        const i = (b * K + k) * C + c;
        if (!mask[i]) continue;
        const y = series.targets[(s + k + 1) * C + c];
        const e = pred[i] - y;
        abs[k][c] += Math.abs(e);
        sq[k][c] += e * e;
        count[k][c]++;
        if (c === 0 && y !== 0 && pred[i] !== 0) {
          directionCount[k]++;
          if (Math.sign(y) === Math.sign(pred[i])) hits[k]++;
        }
      }
    }
  });
  return {
    mae: abs.map((row, k) => row.map((v, c) => v / count[k][c])),
    rmse: sq.map((row, k) => row.map((v, c) => Math.sqrt(v / count[k][c]))),
    count,
    direction: hits.map((h, k) => h / directionCount[k]),
    directionCount,
  };
}
