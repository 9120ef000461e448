import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Seq2Seq, stateTensors, type Seq2SeqConfig } from '../../src/seq2seq/model.ts';
import { sourceBatch } from '../../src/seq2seq/batch.ts';
import { nativeStepDecoder } from '../../src/seq2seq/native-step.ts';
import { translateIds } from '../../src/seq2seq/decode.ts';
import { nativeKernels } from '../../src/native/kernels.ts';
import type { Hypothesis } from '../../src/seq2seq/search.ts';

const base: Seq2SeqConfig = {
  sourceVocabSize: 11, targetVocabSize: 9, embeddingSize: 4, hiddenSize: 3, numLayers: 1,
  cell: 'gru', bidirectional: true, attention: 'luong-general', dropout: 0, seed: 5,
};
/** Every attention kind the native step runs, with every cell kind, depths and tied embeddings. */
const configs: Seq2SeqConfig[] = [
  base,
  { ...base, cell: 'lstm', numLayers: 2, attention: 'luong-dot' },
  { ...base, bidirectional: false, attention: 'luong-general', tiedEmbeddings: true },
  { ...base, cell: 'mgu', attention: 'none' },
  { ...base, cell: 'simple', numLayers: 2, attention: 'none', tiedEmbeddings: true },
];
const name = (c: Seq2SeqConfig) => `${c.attention} (${c.cell}, L=${c.numLayers}${c.tiedEmbeddings ? ', tied' : ''})`;

const sources = [[4, 5, 6, 7, 8], [9], [5, 4, 10]]; // ragged: T_b = 6, 2, 4 with <eos>

/** The hypotheses of the native path equal the reference path's: tokens exactly, numbers within 1e-5. */
function expectSame(native: Hypothesis[], reference: Hypothesis[]): void {
  expect(native.map((h) => h.tokens)).toEqual(reference.map((h) => h.tokens));
  expect(native.map((h) => h.finished)).toEqual(reference.map((h) => h.finished));
  native.forEach((h, b) => {
    expect(Math.abs(h.score - reference[b].score)).toBeLessThan(1e-5);
    expect(h.attention.length).toBe(reference[b].attention.length);
    h.attention.forEach((row, u) => row.forEach((a, t) => expect(Math.abs(a - reference[b].attention[u][t])).toBeLessThan(1e-5)));
  });
}

describe.runIf(nativeKernels())('the native decoder step', () => {
  for (const config of configs) {
    for (const beamWidth of [1, 3]) {
      it(`${beamWidth === 1 ? 'greedy' : 'beam-3'} search equals the reference path: ${name(config)}, B = 1 and B = 3`, () => {
        const model = new Seq2Seq(config);
        for (const batch of [[sources[0]], sources]) {
          const reference = translateIds(model, batch, { beamWidth, maxLength: 8, kernel: 'reference' });
          const native = translateIds(model, batch, { beamWidth, maxLength: 8, kernel: 'native' });
          expectSame(native, reference);
        }
        model.dispose();
      });
    }
  }

  it("as a tensor StepDecoder, one step's log p and α equal Seq2Seq.step's (reference attention)", () => {
    const model = new Seq2Seq(base);
    const { source, sourceLengths } = sourceBatch(sources);
    const native = nativeStepDecoder(model)!;
    const state0 = native.start(source.dataSync() as Int32Array, sourceLengths);
    const yPrev = tf.tensor1d([1, 5, 7], 'int32');
    const ours = native.decoder.step(yPrev, state0);
    const encoded = model.encode(source, sourceLengths);
    const theirs = model.step(yPrev, encoded, { attentionKernel: 'reference' });
    const logP = tf.logSoftmax(theirs.logits);
    const close = (a: tf.Tensor, b: tf.Tensor) => expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeLessThan(1e-5);
    close(tf.logSoftmax(ours.logits), logP);
    close(ours.alpha, theirs.alpha);
    for (const t of [...native.decoder.stateTensors(state0), ...native.decoder.stateTensors(ours.state)]) t.dispose();
    tf.dispose([source, yPrev, ours.logits, ours.alpha, theirs.logits, theirs.alpha, logP, ...stateTensors(encoded), theirs.state.rnn.h]);
    model.dispose();
  });

  it('is the default where it runs', () => {
    const model = new Seq2Seq(base);
    const reference = translateIds(model, sources, { beamWidth: 2, maxLength: 8, kernel: 'reference' });
    expectSame(translateIds(model, sources, { beamWidth: 2, maxLength: 8 }), reference);
    model.dispose();
  });

  it("refuses kernel 'native' for Bahdanau attention, which decodes on the reference path by default", () => {
    const model = new Seq2Seq({ ...base, attention: 'bahdanau' });
    expect(() => translateIds(model, sources, { kernel: 'native' })).toThrow(/kernel: 'native' cannot run here: attention 'bahdanau'/);
    expect(translateIds(model, sources, { maxLength: 4 })).toHaveLength(3);
    model.dispose();
  });

  it('follows the weights when they change between decodes (as in training)', () => {
    const model = new Seq2Seq(base);
    translateIds(model, sources, { maxLength: 8, kernel: 'native' });
    for (const v of model.trainableWeights) v.assign(tf.tidy(() => tf.add(v, tf.randomUniform(v.shape, -0.5, 0.5, 'float32', 3))));
    const reference = translateIds(model, sources, { beamWidth: 2, maxLength: 8, kernel: 'reference' });
    expectSame(translateIds(model, sources, { beamWidth: 2, maxLength: 8, kernel: 'native' }), reference);
    model.dispose();
  });

  it('leaves no tensor and no block of module memory behind', () => {
    const model = new Seq2Seq({ ...base, cell: 'lstm', numLayers: 2 });
    translateIds(model, sources, { beamWidth: 3, maxLength: 6 });
    const tensors = tf.memory().numTensors;
    const bytes = nativeKernels()!.heap.allocatedBytes;
    translateIds(model, sources, { beamWidth: 3, maxLength: 6 });
    translateIds(model, sources, { maxLength: 6 });
    expect(tf.memory().numTensors).toBe(tensors);
    expect(nativeKernels()!.heap.allocatedBytes).toBe(bytes);
    model.dispose();
  });
});
