/**
 * Greedy (best path) decoding: take the most probable class at every frame,
 *
 *   π*_t = argmax_k y_t(k),   l* = B(π*)
 *
 * where B merges repeated classes and then drops blanks. This is the most probable path,
 * not necessarily the most probable labelling (see beam-search.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { checkInt, checkKeys, checkRank } from '../check.ts';
import { readOptionalLengths, type CtcLengths } from './ctc-inputs.ts';

/** B(π): merge repeats, then drop blanks. */
export function collapsePath(path: ArrayLike<number>, blank: number): number[] {
  const labels: number[] = [];
  let previous = -1;
  for (let t = 0; t < path.length; t++) {
    const k = path[t];
    if (k !== previous && k !== blank) labels.push(k);
    previous = k;
  }
  return labels;
}

export interface CtcGreedyDecodeOptions {
  /** Index of ∅ (default 0). */
  blank?: number;
  /** [B] frames per sample (default: all T). */
  inputLengths?: CtcLengths;
}

/**
 * @param logits [B, T, C] scores, log-probabilities or probabilities (argmax is the same).
 * @returns B label sequences l* [L_b].
 */
export function ctcGreedyDecode(logits: tf.Tensor3D, options: CtcGreedyDecodeOptions = {}): number[][] {
  checkKeys(options, ['blank', 'inputLengths'], 'ctcGreedyDecode options');
  checkRank(logits, 3, 'logits', '[B, T, C]');
  const [B, T, C] = logits.shape;
  const blank = options.blank ?? 0;
  checkInt(blank, 0, C - 1, 'blank');
  const frames = readOptionalLengths(options.inputLengths, B, T);
  const scores = logits.dataSync();
  return frames.map((Tb, b) => {
    const path = new Int32Array(Tb); // π* [T_b]
    for (let t = 0; t < Tb; t++) {
      const row = (b * T + t) * C;
      let best = 0;
      for (let k = 1; k < C; k++) if (scores[row + k] > scores[row + best]) best = k;
      path[t] = best;
    }
    return collapsePath(path, blank);
  });
}
