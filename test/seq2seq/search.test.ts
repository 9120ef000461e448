import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { beamSearch, greedySearch, type StepDecoder } from '../../src/seq2seq/search.ts';
import { EOS_ID, SOS_ID } from '../../src/text/vocabulary.ts';

const A = 4;
const B_ = 5;
const V = 6; // <pad> <sos> <eos> <unk> a b
/**
 * A hand-made decoder whose next-symbol distribution depends only on the previous symbol:
 *   after <sos>: a 0.5, b 0.4, <eos> 0.1
 *   after a:     <eos> 0.4, a 0.3, b 0.3
 *   after b:     <eos> 0.9, a 0.05, b 0.05
 * Greedy takes a (0.5) and then <eos> (0.4): p = 0.2. The best output is b <eos>: p = 0.36.
 */
const table: Record<number, Record<number, number>> = {
  [SOS_ID]: { [A]: 0.5, [B_]: 0.4, [EOS_ID]: 0.1 },
  [A]: { [EOS_ID]: 0.4, [A]: 0.3, [B_]: 0.3 },
  [B_]: { [EOS_ID]: 0.9, [A]: 0.05, [B_]: 0.05 },
  [EOS_ID]: { [EOS_ID]: 1 },
};
const markov: StepDecoder<tf.Tensor2D> = {
  step(yPrev, state) {
    const rows = Array.from(yPrev.dataSync()).map((y) =>
      Array.from({ length: V }, (_, v) => Math.log(table[y]?.[v] ?? 1e-12)),
    );
    return { logits: tf.tensor2d(rows), alpha: tf.ones([rows.length, 1]), state: tf.clone(state) };
  },
  selectRows: (state, rows) => tf.gather(state, tf.tensor1d(rows as number[], 'int32')),
  followBeams: (state, rows) => tf.gather(state, tf.tensor1d(rows as number[], 'int32')),
  stateTensors: (state) => [state],
};

/** Every output of up to `n` symbols ending in <eos>, by brute force, with its log-probability. */
function enumerate(n: number): { tokens: number[]; score: number }[] {
  const out: { tokens: number[]; score: number }[] = [];
  const walk = (prefix: number[], prev: number, score: number) => {
    const pEos = table[prev][EOS_ID] ?? 0;
    if (pEos > 0) out.push({ tokens: prefix, score: score + Math.log(pEos) });
    if (prefix.length + 1 >= n) return;
    for (const v of [A, B_]) {
      const p = table[prev][v] ?? 0;
      if (p > 0) walk([...prefix, v], v, score + Math.log(p));
    }
  };
  walk([], SOS_ID, 0);
  return out;
}

describe('search on a constructed decoder', () => {
  const state0 = tf.zeros([1, 1]) as tf.Tensor2D;

  it('greedy takes the locally best symbol: a <eos> with p = 0.5 · 0.4', () => {
    const [greedy] = greedySearch(markov, state0, [1], { maxLength: 5 });
    expect(greedy.tokens).toEqual([A]);
    expect(greedy.finished).toBe(true);
    expect(greedy.score).toBeCloseTo(Math.log(0.5 * 0.4), 5);
  });

  it('beam search with width 2 finds the higher-scoring b <eos> (p = 0.4 · 0.9)', () => {
    const [greedy] = greedySearch(markov, state0, [1], { maxLength: 5 });
    const [hyps] = beamSearch(markov, state0, [1], { beamWidth: 2, maxLength: 5, lengthPenalty: 0 });
    expect(hyps[0].tokens).toEqual([B_]);
    expect(hyps[0].score).toBeCloseTo(Math.log(0.4 * 0.9), 5);
    expect(hyps[0].score).toBeGreaterThan(greedy.score);
  });

  it('finds the best output of the brute-force enumeration with a wide beam', () => {
    const best = enumerate(5).reduce((p, q) => (q.score > p.score ? q : p));
    const [hyps] = beamSearch(markov, state0, [1], { beamWidth: 4, maxLength: 5, lengthPenalty: 0 });
    expect(hyps[0].tokens).toEqual(best.tokens);
    expect(hyps[0].score).toBeCloseTo(best.score, 5);
  });

  it('ranks by score / length^α with length normalisation', () => {
    const [hyps] = beamSearch(markov, state0, [1], { beamWidth: 3, maxLength: 5, lengthPenalty: 1 });
    for (const h of hyps) expect(h.normalizedScore).toBeCloseTo(h.score / (h.tokens.length + 1), 6);
    for (let i = 1; i < hyps.length; i++) expect(hyps[i - 1].normalizedScore).toBeGreaterThanOrEqual(hyps[i].normalizedScore);
  });

  it('stops at maxLength and marks the hypothesis unfinished', () => {
    const loop: StepDecoder<tf.Tensor2D> = {
      ...markov,
      step: (yPrev, state) => ({
        logits: tf.tensor2d(Array.from(yPrev.dataSync()).map(() => [0, 0, -9, 0, 5, 0])),
        alpha: tf.ones([yPrev.shape[0], 1]),
        state: tf.clone(state),
      }),
    };
    const [greedy] = greedySearch(loop, state0, [1], { maxLength: 3 });
    expect(greedy.tokens).toEqual([A, A, A]);
    expect(greedy.finished).toBe(false);
    const [[beam]] = beamSearch(loop, state0, [1], { beamWidth: 2, maxLength: 3 });
    expect(beam.tokens).toEqual([A, A, A]);
    expect(beam.finished).toBe(false);
  });

  it('runs only the rows still searching, with the same results as each sample alone', () => {
    // sample 0 is markov's (its outputs end after 1 or 2 symbols); sample 1 never emits <eos>
    // (markov from a state whose first entry is 1), so from step 3 on only sample 1's rows run
    const rowsSeen: number[] = [];
    const mixed: StepDecoder<tf.Tensor2D> = {
      ...markov,
      step(yPrev, state) {
        rowsSeen.push(yPrev.shape[0]);
        const looping = state.arraySync().map((r) => r[0] === 1);
        const rows = Array.from(yPrev.dataSync()).map((y, n) =>
          Array.from({ length: V }, (_, v) => (looping[n] ? (v === A ? 0 : -9) : Math.log(table[y]?.[v] ?? 1e-12))),
        );
        return { logits: tf.tensor2d(rows), alpha: tf.ones([rows.length, 1]), state: tf.clone(state) };
      },
    };
    const both = tf.tensor2d([[0], [1]]);
    const [alone0, alone1] = [tf.tensor2d([[0]]), tf.tensor2d([[1]])];
    for (const search of [
      (s: tf.Tensor2D, n: number) => greedySearch(mixed, s, new Array(n).fill(1), { maxLength: 6 }).map((h) => h.tokens),
      (s: tf.Tensor2D, n: number) => beamSearch(mixed, s, new Array(n).fill(1), { beamWidth: 2, maxLength: 6 }).map((hs) => hs[0].tokens),
    ]) {
      rowsSeen.length = 0;
      const together = search(both, 2);
      expect(rowsSeen[rowsSeen.length - 1]).toBeLessThan(rowsSeen[1]); // finished rows left
      expect(together).toEqual([...search(alone0, 1), ...search(alone1, 1)]);
    }
    tf.dispose([both, alone0, alone1]);
  });

  it('frees every intermediate state', () => {
    const before = tf.memory().numTensors;
    greedySearch(markov, state0, [1], { maxLength: 5 });
    beamSearch(markov, state0, [1], { beamWidth: 3, maxLength: 5 });
    expect(tf.memory().numTensors).toBe(before);
  });
});
