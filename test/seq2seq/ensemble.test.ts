import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Seq2Seq, stateTensors, type Seq2SeqConfig } from '../../src/seq2seq/model.ts';
import { sourceBatch } from '../../src/seq2seq/batch.ts';
import { translateIds } from '../../src/seq2seq/decode.ts';
import { ensembleDecoder } from '../../src/seq2seq/ensemble.ts';

const config: Seq2SeqConfig = {
  sourceVocabSize: 9, targetVocabSize: 8, embeddingSize: 4, hiddenSize: 3, numLayers: 1,
  cell: 'gru', bidirectional: true, attention: 'luong-general', dropout: 0, seed: 11,
};
const sources = [[4, 5, 6, 7], [8], [5, 4]];

describe('ensemble decoding', () => {
  it('with one model equals that model alone, greedy and beam', () => {
    const model = new Seq2Seq(config);
    for (const beamWidth of [1, 3]) {
      const alone = translateIds(model, sources, { beamWidth, maxLength: 7 });
      const ensemble = translateIds([model], sources, { beamWidth, maxLength: 7 });
      ensemble.forEach((h, b) => {
        expect(h.tokens).toEqual(alone[b].tokens);
        expect(h.finished).toBe(alone[b].finished);
        expect(h.score).toBeCloseTo(alone[b].score, 5);
        expect(h.attention.flat()).toEqual(alone[b].attention.flat().map((x) => expect.closeTo(x, 6)));
      });
    }
    model.dispose();
  });

  it('with two copies of one model equals that model alone (the mean of equal log-probabilities)', () => {
    const model = new Seq2Seq(config);
    const copy = new Seq2Seq(config); // same seed: same weights
    const alone = translateIds(model, sources, { beamWidth: 3, maxLength: 7 });
    const ensemble = translateIds([model, copy], sources, { beamWidth: 3, maxLength: 7 });
    ensemble.forEach((h, b) => {
      expect(h.tokens).toEqual(alone[b].tokens);
      expect(h.score).toBeCloseTo(alone[b].score, 5);
    });
    model.dispose();
    copy.dispose();
  });

  it("scores a step with the mean of the members' log-softmax outputs", () => {
    const a = new Seq2Seq(config);
    const b = new Seq2Seq({ ...config, seed: 12, hiddenSize: 5 }); // members may differ in size
    const { source, sourceLengths } = sourceBatch(sources);
    const states = [a.encode(source, sourceLengths), b.encode(source, sourceLengths)];
    const y = tf.tensor1d([1, 1, 1], 'int32');
    const out = ensembleDecoder([a, b]).step(y, states);
    const pa = tf.logSoftmax(a.step(y, states[0]).logits).arraySync();
    const pb = tf.logSoftmax(b.step(y, states[1]).logits).arraySync();
    out.logits.arraySync().forEach((row, n) => row.forEach((x, v) => expect(x).toBeCloseTo((pa[n][v] + pb[n][v]) / 2, 5)));
    tf.dispose([source, y, out.logits, out.alpha, ...states.flatMap(stateTensors)]);
    a.dispose();
    b.dispose();
  });

  it('rejects members with different target vocabularies, naming the member', () => {
    const a = new Seq2Seq(config);
    const b = new Seq2Seq({ ...config, targetVocabSize: 9 });
    expect(() => ensembleDecoder([a, b])).toThrow(/models\[1\]: target vocabulary size 9, expected 8/);
    a.dispose();
    b.dispose();
  });

  it('leaks no tensors', () => {
    const a = new Seq2Seq(config);
    const b = new Seq2Seq({ ...config, seed: 12 });
    translateIds([a, b], sources, { beamWidth: 2, maxLength: 5 });
    const before = tf.memory().numTensors;
    translateIds([a, b], sources, { beamWidth: 2, maxLength: 5 });
    translateIds([a, b], sources, { maxLength: 5 });
    expect(tf.memory().numTensors).toBe(before);
    a.dispose();
    b.dispose();
  });
});
