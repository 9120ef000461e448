/**
 * Prefix beam search: the most probable labellings, not paths.
 *
 * Many paths collapse to the same prefix ℓ, so each hypothesis carries two scores at frame t:
 *   p_b(ℓ)  — all paths for ℓ that end in a blank,
 *   p_nb(ℓ) — all paths for ℓ that end in its last label.
 * From frame t − 1 to t, with y = y_t:
 *   ℓ stays ℓ by a blank:         p_b(ℓ)   += (p_b(ℓ) + p_nb(ℓ)) · y(∅)
 *   ℓ stays ℓ by repeating ℓ_end: p_nb(ℓ)  += p_nb(ℓ) · y(ℓ_end)
 *   ℓ grows to ℓ+k, k ≠ ℓ_end:    p_nb(ℓ+k) += (p_b(ℓ) + p_nb(ℓ)) · y(k)
 *   ℓ grows to ℓ+k, k = ℓ_end:    p_nb(ℓ+k) += p_b(ℓ) · y(k)   (a blank must separate them)
 * and only the `beamWidth` best prefixes survive each frame. An external scorer (language
 * model, lexicon) adds log q(k | ℓ) once when ℓ is extended by k; a hypothesis ranks by
 *   log(p_b + p_nb) + Σ log q.
 * All of it in log space.
 */
import * as tf from '@tensorflow/tfjs';
import { checkInt, checkKeys, checkRank } from '../check.ts';
import { readOptionalLengths, type CtcLengths } from './ctc-inputs.ts';
import { LOG_ZERO, logAddExp, logSoftmaxRows } from './log-space.ts';

/**
 * External score log q(next | prefix) for extending `prefix` by the label `next`, already
 * weighted by the caller (e.g. λ·log P_LM + insertion bonus). −Infinity forbids the extension.
 */
export type CtcPrefixScorer = (prefix: readonly number[], next: number) => number;

export interface CtcBeamSearchOptions {
  /** Index of ∅ (default 0). */
  blank?: number;
  /** Prefixes kept after each frame (default 8). */
  beamWidth?: number;
  /** Hypotheses returned per sample, best first (default 1, at most beamWidth). */
  nBest?: number;
  /** [B] frames per sample (default: all T). */
  inputLengths?: CtcLengths;
  /** External scorer called for each extended prefix (default none). */
  scorer?: CtcPrefixScorer;
}

export interface CtcHypothesis {
  /** The labelling ℓ [L]. */
  labels: number[];
  /** log(p_b(ℓ) + p_nb(ℓ)) + Σ log q: the score the search ranks by. */
  logScore: number;
  /** log(p_b(ℓ) + p_nb(ℓ)): the acoustic part alone, log p(ℓ|x) summed over the paths kept. */
  logAcoustic: number;
}

interface Beam {
  labels: number[];
  logBlank: number; // log p_b(ℓ)
  logNonBlank: number; // log p_nb(ℓ)
  logExternal: number; // Σ log q along ℓ
}

/**
 * @param logits [B, T, C] unnormalised scores (log-softmax applied inside).
 * @returns for each of the B samples, up to nBest hypotheses, best first.
 */
export function ctcBeamSearch(logits: tf.Tensor3D, options: CtcBeamSearchOptions = {}): CtcHypothesis[][] {
  checkKeys(options, ['blank', 'beamWidth', 'nBest', 'inputLengths', 'scorer'], 'ctcBeamSearch options');
  checkRank(logits, 3, 'logits', '[B, T, C]');
  const [B, T, C] = logits.shape;
  const blank = options.blank ?? 0;
  checkInt(blank, 0, C - 1, 'blank');
  const beamWidth = options.beamWidth ?? 8;
  checkInt(beamWidth, 1, Number.MAX_SAFE_INTEGER, 'beamWidth');
  const nBest = options.nBest ?? 1;
  checkInt(nBest, 1, beamWidth, 'nBest');
  const frames = readOptionalLengths(options.inputLengths, B, T);
  const logProbs = logSoftmaxRows(logits.dataSync(), B * T, C); // [B·T, C]
  return frames.map((Tb, b) =>
    searchOne(logProbs, b * T, Tb, C, blank, beamWidth, options.scorer).slice(0, nBest),
  );
}

const total = (beam: Beam) => logAddExp(beam.logBlank, beam.logNonBlank);
const rank = (beam: Beam) => total(beam) + beam.logExternal;

function searchOne(
  logProbs: Float64Array,
  firstRow: number,
  T: number,
  C: number,
  blank: number,
  beamWidth: number,
  scorer: CtcPrefixScorer | undefined,
): CtcHypothesis[] {
  let beams: Beam[] = [{ labels: [], logBlank: 0, logNonBlank: LOG_ZERO, logExternal: 0 }];
  for (let t = 0; t < T; t++) {
    const y = (k: number) => logProbs[(firstRow + t) * C + k];
    const next = new Map<string, Beam>();
    const entry = (labels: number[], logExternal: number): Beam => {
      const key = labels.join(',');
      let beam = next.get(key);
      if (!beam) {
        beam = { labels, logBlank: LOG_ZERO, logNonBlank: LOG_ZERO, logExternal };
        next.set(key, beam);
      }
      return beam;
    };
    for (const beam of beams) {
      const logTotal = total(beam);
      const last = beam.labels.length ? beam.labels[beam.labels.length - 1] : -1;
      const same = entry(beam.labels, beam.logExternal);
      same.logBlank = logAddExp(same.logBlank, logTotal + y(blank));
      if (last >= 0) same.logNonBlank = logAddExp(same.logNonBlank, beam.logNonBlank + y(last));
      for (let k = 0; k < C; k++) {
        if (k === blank) continue;
        const q = scorer ? scorer(beam.labels, k) : 0;
        if (q === LOG_ZERO) continue;
        const grown = entry([...beam.labels, k], beam.logExternal + q);
        const from = k === last ? beam.logBlank : logTotal;
        grown.logNonBlank = logAddExp(grown.logNonBlank, from + y(k));
      }
    }
    beams = [...next.values()].sort((p, q) => rank(q) - rank(p)).slice(0, beamWidth);
  }
  return beams
    .filter((beam) => rank(beam) !== LOG_ZERO)
    .map((beam) => ({ labels: beam.labels, logScore: rank(beam), logAcoustic: total(beam) }));
}
