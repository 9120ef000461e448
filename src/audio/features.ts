/**
 * Feature matrices: T frames of F features, row-major in one Float32Array.
 *
 *   data[t · F + f] = feature f of frame t,   shape [T, F]
 *
 * A flat array is what the recipes stack into [B, T, F] batches, and what tf.tensor2d takes as is.
 */
import * as tf from '@tensorflow/tfjs';

export interface Features {
  /** [T, F] row-major, length numFrames · dim. */
  data: Float32Array;
  /** T */
  numFrames: number;
  /** F */
  dim: number;
}

/** Check that `features` is a consistent [T, F] matrix; `name` goes in the error. */
export function checkFeatures(features: Features, name: string): void {
  const { data, numFrames, dim } = features;
  if (!(data instanceof Float32Array)) throw new Error(`${name}: data must be a Float32Array`);
  if (!Number.isInteger(numFrames) || numFrames < 0 || !Number.isInteger(dim) || dim < 1) {
    throw new Error(`${name}: numFrames and dim must be integers (≥ 0, ≥ 1), got ${numFrames}, ${dim}`);
  }
  if (data.length !== numFrames * dim) {
    throw new Error(`${name}: data has length ${data.length}, expected numFrames · dim = ${numFrames} · ${dim}`);
  }
}

/** Row t as a view: [F]. */
export function featureRow(features: Features, t: number): Float32Array {
  return features.data.subarray(t * features.dim, (t + 1) * features.dim);
}

/** The rows as an array of views: T × [F]. */
export function featureRows(features: Features): Float32Array[] {
  return Array.from({ length: features.numFrames }, (_, t) => featureRow(features, t));
}

/** As a tensor: [T, F]. The caller owns (and disposes) it. */
export function featuresTensor(features: Features): tf.Tensor2D {
  return tf.tensor2d(features.data, [features.numFrames, features.dim]); // [T, F]
}
