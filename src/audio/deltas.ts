/**
 * Delta (and delta-delta) features: the slope of each feature over a window of ±Nw frames,
 *
 *   Δx[t] = Σ_{n=1}^{Nw} n · (x[t+n] − x[t−n]) / (2 Σ_{n=1}^{Nw} n²),   Nw = 2,
 *
 * with frames beyond the edges replaced by the first/last frame (x[t] := x[clamp(t, 0, T−1)]).
 * Delta-deltas are Δ(Δx), again with edge replication — torchaudio.functional.compute_deltas
 * applied twice. (Kaldi's add-deltas instead convolves the window with itself once over x, which
 * differs only in the first and last 2·Nw frames.)
 */
import { checkInt, checkKeys } from '../check.ts';
import { checkFeatures, type Features } from './features.ts';

export interface DeltaOptions {
  /** Nw, frames on each side (2: the 5-frame window of Kaldi and torchaudio). */
  window?: number;
}

export interface AddDeltasOptions extends DeltaOptions {
  /** 1: [x, Δx] (2F); 2: [x, Δx, ΔΔx] (3F, the 39 dimensions of 13 MFCCs). Default 2. */
  order?: number;
}

/** Δx: features [T, F] → deltas [T, F]. */
export function deltas(features: Features, options: DeltaOptions = {}): Features {
  checkKeys(options, ['window'], 'deltas options');
  checkFeatures(features, 'deltas features');
  const Nw = options.window ?? 2;
  checkInt(Nw, 1, 1000, 'deltas window');
  const { data: x, numFrames: T, dim: F } = features;
  let denominator = 0;
  for (let n = 1; n <= Nw; n++) denominator += n * n;
  denominator *= 2;
  const d = new Float32Array(T * F);
  for (let t = 0; t < T; t++) {
    for (let f = 0; f < F; f++) {
      let s = 0;
      for (let n = 1; n <= Nw; n++) {
        const ahead = Math.min(t + n, T - 1);
        const behind = Math.max(t - n, 0);
        s += n * (x[ahead * F + f] - x[behind * F + f]);
      }
      d[t * F + f] = s / denominator;
    }
  }
  return { data: d, numFrames: T, dim: F };
}

/** [x, Δx] or [x, Δx, ΔΔx] side by side: features [T, F] → [T, (order + 1)·F]. */
export function addDeltas(features: Features, options: AddDeltasOptions = {}): Features {
  checkKeys(options, ['window', 'order'], 'addDeltas options');
  const order = options.order ?? 2;
  checkInt(order, 1, 2, 'addDeltas order');
  const window = options.window ?? 2;
  const parts = [features];
  for (let k = 0; k < order; k++) parts.push(deltas(parts[k], { window }));
  const { numFrames: T, dim: F } = features;
  const G = (order + 1) * F;
  const data = new Float32Array(T * G);
  for (let t = 0; t < T; t++) {
    parts.forEach((p, k) => data.set(p.data.subarray(t * F, (t + 1) * F), t * G + k * F));
  }
  return { data, numFrames: T, dim: G };
}
