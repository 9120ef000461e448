/**
 * Greedy decoding, prefix beam search and forced alignment on hand-made posteriors whose
 * answers are worked out in the comments.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { ctcBeamSearch } from '../../src/ctc/beam-search.ts';
import { ctcForcedAlign } from '../../src/ctc/forced-align.ts';
import { collapsePath, ctcGreedyDecode } from '../../src/ctc/greedy-decode.ts';

/** logits = log of hand-made probabilities, so log-softmax gives them back. */
const fromProbabilities = (p: number[][][]) => tf.log(tf.tensor3d(p)) as tf.Tensor3D;

describe('ctcGreedyDecode', () => {
  it('takes the best class per frame, merges repeats, then drops blanks', () => {
    expect(collapsePath([0, 1, 1, 0, 1, 2, 2, 0], 0)).toEqual([1, 1, 2]);
    // Lecture alphabet, blank 6: 안 안 ∅ 녕 하 하 ∅ 세 요 요  →  안녕하세요
    const path = [1, 1, 6, 2, 3, 3, 6, 4, 5, 5];
    const p = path.map((k) => Array.from({ length: 7 }, (_, c) => (c === k ? 0.7 : 0.05)));
    const logits = fromProbabilities([p]);
    expect(ctcGreedyDecode(logits, { blank: 6 })).toEqual([[1, 2, 3, 4, 5]]);
    logits.dispose();
  });

  it('decodes each sample only up to its input length', () => {
    const onehot = (k: number) => [0, 1, 2].map((c) => (c === k ? 5 : 0));
    const logits = tf.tensor3d([
      [onehot(1), onehot(0), onehot(1), onehot(2)],
      [onehot(2), onehot(2), onehot(1), onehot(1)],
    ]);
    expect(ctcGreedyDecode(logits, { inputLengths: [4, 2] })).toEqual([[1, 1, 2], [2]]);
    expect(() => ctcGreedyDecode(logits, { inputLengths: [4, 5] })).toThrow(/inputLengths\[1\] \(sample 1\).*got 5/);
    logits.dispose();
  });
});

describe('ctcBeamSearch', () => {
  it('finds a labelling more probable than the best path’s', () => {
    // Two frames, y(∅) = 0.6, y(a) = 0.4 at each. Best path ∅∅ gives "" with p = 0.36, but
    // p("a") = aa + a∅ + ∅a = 0.16 + 0.24 + 0.24 = 0.64.
    const logits = fromProbabilities([[[0.6, 0.4], [0.6, 0.4]]]);
    expect(ctcGreedyDecode(logits)).toEqual([[]]);
    const [hyps] = ctcBeamSearch(logits, { beamWidth: 4, nBest: 2 });
    expect(hyps.map((h) => h.labels)).toEqual([[1], []]);
    expect(Math.exp(hyps[0].logScore)).toBeCloseTo(0.64, 6);
    expect(Math.exp(hyps[1].logScore)).toBeCloseTo(0.36, 6);
    logits.dispose();
  });

  it('keeps "aa" and "a" apart: a repeat needs a blank between', () => {
    // Three frames over {∅, a}: only a∅a gives "aa"; the reference sums the 8 paths by hand.
    const y = [[0.2, 0.8], [0.5, 0.5], [0.2, 0.8]];
    const logits = fromProbabilities([y]);
    const [hyps] = ctcBeamSearch(logits, { beamWidth: 8, nBest: 3 });
    const paths = [0, 1, 2, 3, 4, 5, 6, 7].map((n) => [n & 1, (n >> 1) & 1, (n >> 2) & 1]);
    const want = new Map<string, number>();
    for (const path of paths) {
      const key = collapsePath(path, 0).join(',');
      want.set(key, (want.get(key) ?? 0) + path.reduce((p, k, t) => p * y[t][k], 1));
    }
    for (const h of hyps) expect(Math.exp(h.logAcoustic)).toBeCloseTo(want.get(h.labels.join(','))!, 6);
    expect(hyps[0].labels).toEqual([1]);
    logits.dispose();
  });

  it('lets an external scorer change the answer (a lexicon forbidding a label)', () => {
    const logits = fromProbabilities([[[0.1, 0.6, 0.3], [0.1, 0.6, 0.3]]]);
    expect(ctcBeamSearch(logits)[0][0].labels).toEqual([1]);
    const seen: string[] = [];
    const noOnes = (prefix: readonly number[], next: number) => {
      seen.push(`${prefix.join('')}+${next}`);
      return next === 1 ? -Infinity : 0;
    };
    const [best] = ctcBeamSearch(logits, { scorer: noOnes })[0];
    expect(best.labels).toEqual([2]);
    expect(seen).toContain('+1');
    expect(seen).toContain('2+2');
    logits.dispose();
  });

  it('adds the scorer’s log score to the ranking but reports the acoustic part apart', () => {
    const logits = fromProbabilities([[[0.6, 0.4], [0.6, 0.4]]]);
    const [hyps] = ctcBeamSearch(logits, { nBest: 2, scorer: () => Math.log(0.5) });
    // "a": 0.64 · 0.5 = 0.32 < "": 0.36 — the bonus-free empty labelling now wins.
    expect(hyps[0].labels).toEqual([]);
    expect(Math.exp(hyps[1].logScore)).toBeCloseTo(0.32, 6);
    expect(Math.exp(hyps[1].logAcoustic)).toBeCloseTo(0.64, 6);
    logits.dispose();
  });

  it('gives each sample its own n-best list and rejects nBest > beamWidth', () => {
    const logits = fromProbabilities([
      [[0.1, 0.9, 0.0001], [0.9, 0.05, 0.05]],
      [[0.1, 0.05, 0.85], [0.1, 0.05, 0.85]],
    ]);
    const out = ctcBeamSearch(logits, { beamWidth: 3, nBest: 2 });
    expect(out.map((hyps) => hyps[0].labels)).toEqual([[1], [2]]);
    expect(out.every((hyps) => hyps.length === 2)).toBe(true);
    expect(() => ctcBeamSearch(logits, { beamWidth: 2, nBest: 3 })).toThrow(/nBest.*got 3/);
    logits.dispose();
  });
});

describe('ctcForcedAlign', () => {
  it('finds the Viterbi path that emits the target, frame by frame', () => {
    // Lecture alphabet, blank 6, target 안녕 (1, 2) over 5 frames; frame 2 prefers 녕 weakly,
    // frame 3 the blank strongly: best is 안 안 녕 ∅ ∅ (0.8·0.6·0.5·0.9·0.9).
    // Frame row: class k gets pk, the six others share the rest.
    const row = (k: number, pk: number) => Array.from({ length: 7 }, (_, c) => (c === k ? pk : (1 - pk) / 6));
    const p = [row(1, 0.8), row(1, 0.6), row(2, 0.5), row(6, 0.9), row(6, 0.9)];
    const logits = tf.log(tf.tensor2d(p)) as tf.Tensor2D;
    const a = ctcForcedAlign(logits, [1, 2], { blank: 6 });
    expect(a.path).toEqual([1, 1, 2, 6, 6]);
    expect(a.labelIndex).toEqual([0, 0, 1, -1, -1]);
    expect(Math.exp(a.logProbability)).toBeCloseTo(0.8 * 0.6 * 0.5 * 0.9 * 0.9, 6);
    logits.dispose();
  });

  it('puts a blank between repeated labels even when the frame prefers the label', () => {
    const p = [[0.1, 0.9], [0.1, 0.9], [0.1, 0.9]];
    const logits = tf.log(tf.tensor2d(p)) as tf.Tensor2D;
    expect(ctcForcedAlign(logits, [1, 1]).path).toEqual([1, 0, 1]);
    expect(() => ctcForcedAlign(logits, [1, 1, 1])).toThrow(/3 frames cannot align 3 labels \(needs at least 5\)/);
    logits.dispose();
  });

  it('aligns an empty target to all blanks, and zero frames to nothing', () => {
    const logits = tf.log(tf.tensor2d([[0.3, 0.7], [0.4, 0.6]])) as tf.Tensor2D;
    const a = ctcForcedAlign(logits, []);
    expect(a.path).toEqual([0, 0]);
    expect(Math.exp(a.logProbability)).toBeCloseTo(0.3 * 0.4, 6);
    const none = tf.zeros([0, 2]) as tf.Tensor2D;
    expect(ctcForcedAlign(none, [])).toEqual({ path: [], labelIndex: [], logProbability: 0 });
    tf.dispose([logits, none]);
  });
});
