/**
 * Per-column standardisation z = (x − μ) / σ, with μ and σ (population standard deviation)
 * fitted on chosen rows only (the training days: nothing from dev or test leaks into them).
 * A column that is constant on those rows gets σ = 1.
 */

export interface Standardizer {
  /** μ [D] */
  mean: number[];
  /** σ [D], each > 0 */
  std: number[];
}

/**
 * Fit μ and σ of each of the D columns of `values` [N, D] over the rows `rows`, skipping entries
 * whose `mask` [N, D] is 0.
 */
export function fitStandardizer(
  values: ArrayLike<number>,
  D: number,
  rows: readonly number[],
  mask?: ArrayLike<number>,
): Standardizer {
  const mean: number[] = [];
  const std: number[] = [];
  for (let d = 0; d < D; d++) {
    let count = 0;
    let sum = 0;
    for (const n of rows) if (!mask || mask[n * D + d]) (sum += values[n * D + d]), count++;
    if (count === 0) throw new Error(`fitStandardizer: column ${d} has no unmasked value in the ${rows.length} rows`);
    const mu = sum / count;
    let squares = 0;
    for (const n of rows) if (!mask || mask[n * D + d]) squares += (values[n * D + d] - mu) ** 2;
    const sigma = Math.sqrt(squares / count);
    mean.push(mu);
    std.push(sigma > 0 ? sigma : 1);
  }
  return { mean, std };
}

/** (x − μ_d) / σ_d for the value of column d. */
export function standardize(s: Standardizer, d: number, x: number): number {
  return (x - s.mean[d]) / s.std[d];
}

/** μ_d + σ_d z: the value of column d in its own units. */
export function unstandardize(s: Standardizer, d: number, z: number): number {
  return s.mean[d] + s.std[d] * z;
}
