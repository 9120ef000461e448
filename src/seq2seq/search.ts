/**
 * Decoding: find an output y_1 … y_U, <eos> with high log p(y | x) = Σ_u log p(y_u | y_<u, x).
 *
 *   greedy:  y_u = argmax_v log p(v | y_<u, x)                          one hypothesis per sample
 *   beam:    keep the K best prefixes by Σ log p; a prefix that emits <eos> is finished;
 *            stop a sample once K hypotheses are finished (or at maxLength);
 *            the answer maximises   score / |y|^α                       length normalisation α
 *            (|y| counts the <eos>; α = 0 is the raw log-probability)
 *
 * Both are batched: the B samples (B·K beams) go through the decoder together. The search only
 * needs a step function, so it works for any decoder that implements {@link StepDecoder}.
 */
import * as tf from '@tensorflow/tfjs';
import { checkInt, checkKeys } from '../check.ts';
import { EOS_ID, SOS_ID } from '../text/vocabulary.ts';
import { tidy } from '../nn/tidy.ts';
import { nativeKernels } from '../native/kernels.ts';

/** What a decoder state holds and the search frees: a tensor, or a block of a native module's memory. */
export interface Freeable {
  readonly isDisposed: boolean;
  dispose(): void;
}

/**
 * One step's results as plain arrays: log p [N·V] (log-softmax of the logits), α [N·T]; a decoder
 * may reuse their memory at its next step, so the search reads them before it steps again.
 */
export interface StepArrays<S> {
  /** log p [N·V]; may be empty when `top` is given */
  logP: Float32Array;
  /** When the search asked for the m best entries of each row: topOfRows(logP, N, V, m)'s result. */
  top?: TopEntries;
  alpha: Float32Array;
  V: number;
  T: number;
  state: S;
}

/** A decoder seen from the search: one step, plus how to follow and free its state. */
export interface StepDecoder<S> {
  /** y_{u−1} [N] int32, state → logits [N, V], attention α [N, T], next state. */
  step(yPrev: tf.Tensor1D, state: S): { logits: tf.Tensor2D; alpha: tf.Tensor2D; state: S };
  /**
   * Optional: the same step on plain arrays, y_{u−1} [N] → log p and α (StepArrays); the search
   * uses it when present (a native decoder then makes no tensor at all).
   */
  stepArrays?(yPrev: readonly number[], state: S, options?: { top?: number }): StepArrays<S>;
  /** The state with only rows `rows` (indices into N, repeats allowed). */
  selectRows(state: S, rows: readonly number[]): S;
  /**
   * The same as selectRows for rows that never leave their source: row i becomes row rows[i],
   * and both belong to the same source sentence. What depends only on the source (the encoder
   * memory) can stay as it is; only what the hypothesis changes (the decoder state) moves.
   */
  followBeams(state: S, rows: readonly number[]): S;
  /** Every tensor (or native block) a state holds (to free what the next state no longer uses). */
  stateTensors(state: S): Freeable[];
}

export interface Hypothesis {
  /** y_1 … y_U, without <sos> and <eos> */
  tokens: number[];
  /** Σ_u log p(y_u | y_<u, x), the <eos> included when finished */
  score: number;
  /** score / |y|^α (beam search's ranking; equals score for greedy) */
  normalizedScore: number;
  /** α: one row per output step (the <eos> step included), each over the T_b real source steps: [U(+1)][T_b] */
  attention: number[][];
  /** true if the hypothesis ended with <eos> (false: cut at maxLength) */
  finished: boolean;
}

export interface GreedyOptions {
  /**
   * Longest output in symbols, <eos> included: one number for every sample, or one per sample
   * [B] (so that where a sample's output is cut never depends on the other samples of the batch).
   */
  maxLength: number | readonly number[];
}

export interface BeamOptions {
  /** K: beams per sample. */
  beamWidth: number;
  /** Longest output in symbols, <eos> included: one number, or one per sample [B]. */
  maxLength: number | readonly number[];
  /** α of score / |y|^α; default 1. */
  lengthPenalty?: number;
}

/** maxLength as one limit per sample [B], each checked. */
function sampleLimits(maxLength: number | readonly number[], B: number): number[] {
  const limits = typeof maxLength === 'number' ? new Array<number>(B).fill(maxLength) : [...maxLength];
  if (limits.length !== B) throw new Error(`maxLength: expected one limit per sample (${B}), got ${limits.length}`);
  limits.forEach((m, b) => checkInt(m, 1, 1e6, `maxLength[${b}]`));
  return limits;
}

/** Free the tensors (blocks) of `old` that `next` does not hold. */
function disposeReplaced(old: Freeable[], next: Freeable[]): void {
  const kept = new Set(next);
  for (const t of old) if (!kept.has(t) && !t.isDisposed) t.dispose();
}

/** The m best entries of each of N rows: index [N·m] and value [N·m], best first, ties by lower index. */
export interface TopEntries {
  index: Int32Array;
  value: Float32Array | Float64Array;
}

/**
 * Run one step and bring α [N, T] and the m best entries of each row of log p (`top`) to
 * JavaScript (and log p [N, V] itself, unless the decoder found the best entries without it).
 */
function runStep<S>(decoder: StepDecoder<S>, yPrev: number[], state: S, m: number): StepArrays<S> & { top: TopEntries } {
  if (decoder.stepArrays) {
    const out = decoder.stepArrays(yPrev, state, { top: m });
    return { ...out, top: out.top ?? topOfRows(out.logP, yPrev.length, out.V, Math.min(m, out.V)) };
  }
  const out = tidy(() => {
    const y = tf.tensor1d(yPrev, 'int32'); // [N]
    const { logits, alpha, state: next } = decoder.step(y, state);
    return { logP: tf.logSoftmax(logits, -1) as tf.Tensor2D, alpha, next }; // [N, V], [N, T]
  });
  const [, V] = out.logP.shape;
  const T = out.alpha.shape[1];
  const logP = out.logP.dataSync() as Float32Array;
  const alpha = out.alpha.dataSync() as Float32Array;
  tf.dispose([out.logP, out.alpha]);
  return { logP, alpha, V, T, state: out.next, top: topOfRows(logP, yPrev.length, V, Math.min(m, V)) };
}

/**
 * Greedy search from `state0` (B rows) with source lengths T_b (to crop the attention rows).
 * Returns one hypothesis per sample. Frees every intermediate state; `state0` stays with the caller.
 */
export function greedySearch<S>(
  decoder: StepDecoder<S>,
  state0: S,
  sourceLengths: readonly number[],
  options: GreedyOptions,
): Hypothesis[] {
  checkKeys(options, ['maxLength'], 'greedy options');
  const B = sourceLengths.length;
  const limits = sampleLimits(options.maxLength, B);
  const hyps: Hypothesis[] = sourceLengths.map(() => ({ tokens: [], score: 0, normalizedScore: 0, attention: [], finished: false }));
  // rowOf[b]: the state row of sample b while it runs; rows of finished (or cut) samples are dropped
  let rowOf = sourceLengths.map((_, b) => b);
  let y = new Array<number>(B).fill(SOS_ID);
  let state = state0;
  for (let u = 0; hyps.some((h, b) => !h.finished && u < limits[b]); u++) {
    const { top, alpha, T, state: next } = runStep(decoder, y, state, 1);
    if (state !== state0) disposeReplaced(decoder.stateTensors(state), decoder.stateTensors(next));
    state = next;
    const rows: number[] = [];
    y = [];
    rowOf = rowOf.map((r, b) => {
      const h = hyps[b];
      if (r < 0 || h.finished || u >= limits[b]) return -1; // done, or cut at its own limit
      const best = top.index[r]; // argmax_v log p (the first of equal ones)
      h.score += top.value[r];
      h.attention.push(Array.from(alpha.subarray(r * T, r * T + sourceLengths[b])));
      if (best === EOS_ID) {
        h.finished = true;
        return -1;
      }
      h.tokens.push(best);
      y.push(best);
      return rows.push(r) - 1;
    });
    if (rows.length === 0) break;
    if (rows.length < top.index.length) {
      const selected = tidy(() => decoder.selectRows(state, rows));
      disposeReplaced(decoder.stateTensors(state), decoder.stateTensors(selected));
      state = selected;
    }
  }
  if (state !== state0) disposeReplaced(decoder.stateTensors(state), decoder.stateTensors(state0));
  for (const h of hyps) h.normalizedScore = h.score;
  return hyps;
}

/**
 * A live hypothesis: its prefix as a chain back to <sos> (shared with the beams it came from, so a
 * step copies no token or attention list) and its score.
 */
interface Beam {
  prefix: Prefix | null;
  score: number;
}

/** The last symbol of a prefix, the attention row of the step that emitted it, and the prefix before. */
interface Prefix {
  token: number;
  alpha: Float32Array;
  parent: Prefix | null;
  length: number;
}

/** The symbols of a prefix, first to last. */
function tokensOf(prefix: Prefix | null): number[] {
  const out = new Array<number>(prefix?.length ?? 0);
  for (let p = prefix; p; p = p.parent) out[p.length - 1] = p.token;
  return out;
}

/** The attention rows of a prefix [|prefix|][T_b], then `last` when given (the <eos> step). */
function attentionOf(prefix: Prefix | null, last?: Float32Array): number[][] {
  const n = prefix?.length ?? 0;
  const out = new Array<number[]>(n + (last ? 1 : 0));
  for (let p = prefix; p; p = p.parent) out[p.length - 1] = Array.from(p.alpha);
  if (last) out[n] = Array.from(last);
  return out;
}

/**
 * A hypothesis of beam search whose attention rows are built when first read (most hypotheses
 * are never looked at: translateIds keeps the best of each sample).
 */
function beamHypothesis(prefix: Prefix | null, last: Float32Array | undefined, fields: Omit<Hypothesis, 'tokens' | 'attention'>): Hypothesis {
  let attention: number[][] | undefined;
  return {
    tokens: tokensOf(prefix),
    score: fields.score,
    normalizedScore: fields.normalizedScore,
    get attention() {
      return (attention ??= attentionOf(prefix, last));
    },
    set attention(rows: number[][]) {
      attention = rows;
    },
    finished: fields.finished,
  };
}

/**
 * The m largest entries of row[offset … offset + V) into index / value (best first; among equal
 * values the lower index first), their count returned.
 */
function topEntries(row: Float32Array, offset: number, V: number, m: number, index: Int32Array, value: Float64Array): number {
  let count = 0;
  let floor = 0; // value[m − 1] once there are m entries
  for (let v = 0; v < V; v++) {
    const x = row[offset + v];
    if (count === m && x <= floor) continue;
    let i = count === m ? m - 1 : count++; // full: the last entry drops out
    for (; i > 0 && value[i - 1] < x; i--) {
      value[i] = value[i - 1];
      index[i] = index[i - 1];
    }
    value[i] = x;
    index[i] = v;
    if (count === m) floor = value[m - 1];
  }
  return count;
}

/**
 * topEntries of every row of logP [N, V] at once: index [N, m], value [N, m] (rows with fewer
 * than m entries: V < m, then m = V). On the native kernels (top_k_rows) where they run.
 */
export function topOfRows(logP: Float32Array, N: number, V: number, m: number): TopEntries {
  const index = new Int32Array(N * m);
  const value = new Float64Array(N * m);
  const k = nativeKernels();
  if (k) {
    const p = k.heap.layout({ x: N * V, index: N * m, value: N * m });
    k.f32(p.x, N * V).set(logP.subarray(0, N * V));
    k.top_k_rows(N, V, p.x, m, p.index, p.value);
    index.set(k.i32(p.index, N * m));
    value.set(k.f32(p.value, N * m));
    k.heap.release(p.block);
  } else {
    for (let n = 0; n < N; n++) topEntries(logP, n * V, V, m, index.subarray(n * m, (n + 1) * m), value.subarray(n * m, (n + 1) * m));
  }
  return { index, value };
}

/**
 * Beam search from `state0` (B rows) with source lengths T_b. Returns, per sample, its finished
 * hypotheses best first by normalizedScore (at most K; unfinished ones at maxLength if none finished).
 */
export function beamSearch<S>(
  decoder: StepDecoder<S>,
  state0: S,
  sourceLengths: readonly number[],
  options: BeamOptions,
): Hypothesis[][] {
  checkKeys(options, ['beamWidth', 'maxLength', 'lengthPenalty'], 'beam options');
  const { beamWidth: K, lengthPenalty: alphaLp = 1 } = options;
  checkInt(K, 1, 1000, 'beamWidth');
  const limits = sampleLimits(options.maxLength, sourceLengths.length);
  if (!(alphaLp >= 0)) throw new Error(`lengthPenalty: expected α ≥ 0, got ${alphaLp}`);
  const B = sourceLengths.length;
  const normalize = (score: number, length: number) => (alphaLp === 0 ? score : score / Math.pow(length, alphaLp));

  // live[b]: up to K beams of sample b; rowOf[b][k]: the state row of beam k. Only live beams
  // have rows (the first step runs state0's one row per sample): a finished or cut sample costs nothing.
  let live: Beam[][] = sourceLengths.map(() => [{ prefix: null, score: 0 }]);
  let rowOf: number[][] = sourceLengths.map((_, b) => [b]);
  const finished: Hypothesis[][] = sourceLengths.map(() => []);
  const done = new Array<boolean>(B).fill(false);
  let state = state0;
  let y = new Array<number>(B).fill(SOS_ID);
  const width = 2 * K; // candidates per live beam

  for (let u = 0; done.some((d, b) => !d && u < limits[b]); u++) {
    const { top, alpha, V, T, state: next } = runStep(decoder, y, state, width); // each row's 2K best continuations
    if (state !== state0) disposeReplaced(decoder.stateTensors(state), decoder.stateTensors(next));
    state = next;
    const m = Math.min(width, V);
    const rows: number[] = []; // the row each beam of the next step continues
    const nextLive: Beam[][] = [];
    const nextRowOf: number[][] = [];
    for (let b = 0; b < B; b++) {
      const beams: Beam[] = [];
      const beamRows: number[] = [];
      if (!done[b] && u < limits[b]) {
        // Candidates: each live beam's 2K best continuations (so ≥ K of them are not <eos>), taken
        // best first (equal scores in the order k, then rank within the beam) until K beams go on.
        const n = live[b].length * m;
        const score = new Float64Array(n);
        live[b].forEach((beam, k) => {
          const at = rowOf[b][k] * m;
          for (let i = 0; i < m; i++) score[k * m + i] = beam.score + top.value[at + i];
        });
        for (let taken = 0; taken < n && beams.length < K && finished[b].length < K; taken++) {
          let c = -1;
          for (let j = 0; j < n; j++) if (!Number.isNaN(score[j]) && (c < 0 || score[j] > score[c])) c = j; // taken ones are NaN
          const k = Math.floor(c / m);
          const v = top.index[rowOf[b][k] * m + (c % m)];
          const candidateScore = score[c];
          score[c] = NaN;
          const parent = live[b][k].prefix;
          const row = rowOf[b][k] * T;
          const alphaRow = alpha.slice(row, row + sourceLengths[b]);
          if (v === EOS_ID) {
            const length = (parent?.length ?? 0) + 1;
            finished[b].push(beamHypothesis(parent, alphaRow, { score: candidateScore, normalizedScore: normalize(candidateScore, length), finished: true }));
          } else {
            beams.push({ prefix: { token: v, alpha: alphaRow, parent, length: (parent?.length ?? 0) + 1 }, score: candidateScore });
            beamRows.push(rowOf[b][k]);
          }
        }
        if (finished[b].length >= K || beams.length === 0) done[b] = true;
      }
      if (done[b]) nextLive.push([]);
      else if (u >= limits[b]) nextLive.push(live[b]); // cut at its own limit: its live beams are the (unfinished) answer
      else nextLive.push(beams);
      nextRowOf.push(done[b] || u >= limits[b] ? [] : beamRows.map((r) => rows.push(r) - 1));
    }
    live = nextLive;
    rowOf = nextRowOf;
    if (rows.length === 0) break;
    y = live.flatMap((beams, b) => (rowOf[b].length ? beams.map((beam) => beam.prefix!.token) : []));
    const selected = tidy(() => decoder.selectRows(state, rows));
    if (state !== state0) disposeReplaced(decoder.stateTensors(state), decoder.stateTensors(selected));
    state = selected;
  }
  if (state !== state0) disposeReplaced(decoder.stateTensors(state), decoder.stateTensors(state0));

  return finished.map((hyps, b) => {
    const all = hyps.length > 0 ? hyps : live[b].map((beam) =>
      beamHypothesis(beam.prefix, undefined, { score: beam.score, normalizedScore: normalize(beam.score, beam.prefix?.length ?? 0), finished: false }),
    );
    return all.sort((p, q) => q.normalizedScore - p.normalizedScore);
  });
}
