/**
 * The arguments every batched CTC entry point shares — logits [B, T, C], targets, and the
 * lengths of each sample — checked once and turned into plain arrays. Errors name the
 * argument, the sample and the value found.
 */
import * as tf from '@tensorflow/tfjs';
import { checkInt, checkRank } from '../check.ts';
import { logSoftmaxRows } from './log-space.ts';

/** Targets: a padded [B, S] integer tensor, or one label array per sample. */
export type CtcTargets = tf.Tensor2D | readonly (readonly number[])[];

/** Per-sample lengths: a [B] integer tensor or an array. */
export type CtcLengths = tf.Tensor1D | readonly number[];

/** Lengths as numbers, checked to be B integers in [0, max]. */
export function readLengths(lengths: CtcLengths, B: number, max: number, name: string): number[] {
  let values: number[];
  if (lengths instanceof tf.Tensor) {
    checkRank(lengths, 1, name, '[B]');
    values = Array.from(lengths.dataSync());
  } else {
    values = Array.from(lengths);
  }
  if (values.length !== B) {
    throw new Error(`${name}: expected ${B} lengths (batch size B of logits), got ${values.length}`);
  }
  values.forEach((v, b) => checkInt(v, 0, max, `${name}[${b}] (sample ${b})`));
  return values;
}

/**
 * The first targetLengths[b] labels of each sample, l_b [L_b], checked: integers in [0, C),
 * none equal to the blank; targetLengths[b] within [0, S] (the padded width, or the
 * sample's array length).
 */
export function readTargets(
  targets: CtcTargets,
  targetLengths: CtcLengths,
  B: number,
  C: number,
  blank: number,
): Int32Array[] {
  let rows: ArrayLike<number>[];
  if (targets instanceof tf.Tensor) {
    checkRank(targets, 2, 'targets', '[B, S]');
    const [Bt, S] = targets.shape;
    if (Bt !== B) throw new Error(`targets: batch size ${Bt} disagrees with logits (B = ${B})`);
    const flat = targets.dataSync();
    rows = Array.from({ length: B }, (_, b) => flat.subarray(b * S, (b + 1) * S));
  } else {
    if (targets.length !== B) {
      throw new Error(`targets: ${targets.length} label arrays disagree with logits (B = ${B})`);
    }
    rows = [...targets];
  }
  const maxLength = rows.reduce((m, r) => Math.max(m, r.length), 0);
  const L = readLengths(targetLengths, B, maxLength, 'targetLengths');
  return rows.map((row, b) => {
    if (L[b] > row.length) {
      throw new Error(`targetLengths[${b}] (sample ${b}): ${L[b]} exceeds the ${row.length} labels given`);
    }
    const labels = Int32Array.from({ length: L[b] }, (_, u) => row[u]);
    for (let u = 0; u < L[b]; u++) {
      const k = row[u];
      checkInt(k, 0, C - 1, `targets[${b}][${u}] (sample ${b}), a class index below C`);
      if (k === blank) {
        throw new Error(`targets[${b}][${u}] (sample ${b}): label ${k} equals the blank (${blank})`);
      }
    }
    return labels;
  });
}

/**
 * One sample's logits [T, C] and labels l [L], checked, with log y [T, C] in float64.
 */
export function readSample(
  logits: tf.Tensor2D,
  labels: readonly number[],
  blank: number,
): { T: number; C: number; logProbs: Float64Array; labels: Int32Array } {
  checkRank(logits, 2, 'logits', '[T, C]');
  const [T, C] = logits.shape;
  checkInt(blank, 0, C - 1, 'blank');
  labels.forEach((k, u) => {
    checkInt(k, 0, C - 1, `labels[${u}]`);
    if (k === blank) throw new Error(`labels[${u}]: label ${k} equals the blank (${blank})`);
  });
  return { T, C, logProbs: logSoftmaxRows(logits.dataSync(), T, C), labels: Int32Array.from(labels) };
}

/** Optional per-sample lengths of a [B, T, C] batch; all T when omitted. */
export function readOptionalLengths(lengths: CtcLengths | undefined, B: number, T: number): number[] {
  return lengths === undefined ? new Array<number>(B).fill(T) : readLengths(lengths, B, T, 'inputLengths');
}
