import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { captionBatch } from '../../src/caption/batch.ts';
import {
  captionLoss, captionerWeights, createCaptioner, decodeCaptions, disposeCaptioner, encodeImages,
  type CaptionerConfig,
} from '../../src/caption/captioner.ts';
import { captionIds, captionStepDecoder } from '../../src/caption/decode.ts';
import { beamSearch } from '../../src/seq2seq/search.ts';

const base: CaptionerConfig = {
  vocabSize: 9,
  imageSize: 8,
  cnn: { channels: [4, 6], kernelSize: 3, coordinates: true, layerNorm: true, spaceToDepth: false },
  embeddingSize: 5,
  hiddenSize: 7,
  numLayers: 1,
  cell: 'gru',
  attention: 'luong-general',
  dropout: 0,
  seed: 3,
};
const images = () => tf.randomUniform([3, 8, 8, 3], 0, 1, 'float32', 11) as tf.Tensor4D;

describe.each(['none', 'luong-general'] as const)('captioner, attention %s', (attention) => {
  it('greedy search equals beam search with one beam', () => {
    const model = createCaptioner({ ...base, attention, seed: 5 });
    const x = images();
    const greedy = captionIds(model, x, { maxLength: 6 });
    const state0 = encodeImages(model, x);
    const beam = beamSearch(captionStepDecoder(model), state0, [4, 4, 4], { beamWidth: 1, maxLength: 6, lengthPenalty: 0 });
    greedy.forEach((h, b) => {
      expect(beam[b][0].tokens).toEqual(h.tokens);
      expect(beam[b][0].score).toBeCloseTo(h.score, 4);
    });
    disposeCaptioner(model);
  });

  it('pads without effect: the loss of a batch of 3 is the step-weighted mean of the 3 single-image losses', () => {
    const model = createCaptioner({ ...base, attention });
    const x = images();
    const captions = [[4, 5, 6, 7], [8], [4, 4]]; // U_b + 1 = 5, 2, 3 steps with the <eos>
    const all = captionLoss(model, captionBatch(x, captions)).dataSync()[0];
    let weighted = 0;
    captions.forEach((c, b) => {
      const one = captionLoss(model, captionBatch(tf.slice(x, [b, 0, 0, 0], [1, 8, 8, 3]), [c])).dataSync()[0];
      weighted += one * (c.length + 1);
    });
    expect(all).toBeCloseTo(weighted / (5 + 2 + 3), 5);
    disposeCaptioner(model);
  });

  it('gives real steps the same logits whatever the padding after them', () => {
    const model = createCaptioner({ ...base, attention });
    const x = images();
    const { rnn, memory } = encodeImages(model, x);
    const short = tf.tensor2d([[1, 4, 5], [1, 6, 0], [1, 0, 0]], [3, 3], 'int32');
    const long = tf.tensor2d([[1, 4, 5, 0, 0], [1, 6, 7, 8, 4], [1, 2, 2, 2, 2]], [3, 5], 'int32');
    const a = decodeCaptions(model, short, rnn, memory, { targetLengths: [3, 2, 1] }).logits.arraySync();
    const b = decodeCaptions(model, long, rnn, memory, { targetLengths: [3, 2, 1] }).logits.arraySync();
    [[0, 3], [1, 2], [2, 1]].forEach(([row, n]) => {
      for (let u = 0; u < n; u++) a[row][u].forEach((v, k) => expect(b[row][u][k]).toBeCloseTo(v, 5));
    });
    disposeCaptioner(model);
  });

  it('leaks no tensors in training steps and in greedy or beam captioning', () => {
    const model = createCaptioner({ ...base, attention });
    const x = images();
    const batch = captionBatch(x, [[4, 5], [6], [7, 8, 4]]);
    const optimizer = tf.train.adam(0.01);
    const vars = Object.values(captionerWeights(model));
    const step = () => tf.tidy(() => {
      optimizer.minimize(() => captionLoss(model, batch, { training: true }), false, vars);
    });
    step(); // the optimizer creates its slots on the first step
    const before = tf.memory().numTensors;
    step();
    captionIds(model, x, { maxLength: 5 });
    captionIds(model, x, { beamWidth: 3, maxLength: 5 });
    expect(tf.memory().numTensors).toBe(before);
    disposeCaptioner(model);
  });
});

describe('captioner', () => {
  it('attention rows are distributions over the G grid cells (plain: zeros)', () => {
    const withAttention = createCaptioner(base);
    const plain = createCaptioner({ ...base, attention: 'none' });
    const [h] = captionIds(withAttention, images(), { maxLength: 4 });
    expect(h.attention[0]).toHaveLength(4); // 8×8 image, 2 pooling blocks: 2×2 grid
    for (const row of h.attention) expect(row.reduce((s, a) => s + a, 0)).toBeCloseTo(1, 5);
    const [p] = captionIds(plain, images(), { maxLength: 4 });
    for (const row of p.attention) expect(row.every((a) => a === 0)).toBe(true);
  });

  it('starts the LSTM cell state from the image too', () => {
    const model = createCaptioner({ ...base, cell: 'lstm', numLayers: 2 });
    const { rnn } = encodeImages(model, images());
    expect(rnn.h.shape).toEqual([2, 3, 7]);
    expect(rnn.c!.shape).toEqual([2, 3, 7]);
    expect(Object.keys(captionerWeights(model))).toContain('decoder.init_c.weight');
  });

  it('names a bad config value or image shape', () => {
    expect(() => createCaptioner({ ...base, attention: 'bahdanau' as never })).toThrow(/attention: expected one of none, luong-general, luong-dot, got 'bahdanau'/);
    expect(() => createCaptioner({ ...base, hidden: 3 } as never)).toThrow(/hidden/);
    const model = createCaptioner(base);
    expect(() => encodeImages(model, tf.zeros([1, 16, 16, 3]) as tf.Tensor4D)).toThrow(/expected \[B, 8, 8, 3\].*got \[1,16,16,3\]/);
  });
});
