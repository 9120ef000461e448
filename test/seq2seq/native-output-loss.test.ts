import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Seq2Seq, type Seq2SeqConfig } from '../../src/seq2seq/model.ts';
import { translationBatch, disposeBatch } from '../../src/seq2seq/batch.ts';
import { nativeKernels } from '../../src/native/kernels.ts';

const CONFIG: Seq2SeqConfig = {
  sourceVocabSize: 30,
  targetVocabSize: 23,
  embeddingSize: 5,
  hiddenSize: 6,
  numLayers: 1,
  cell: 'gru',
  bidirectional: true,
  attention: 'luong-general',
  dropout: 0,
  seed: 4,
};

// Ragged on both sides: target rows of 1, 5 and 3 symbols (+ <eos>), sources of 4, 2 and 6.
const SOURCES = [[5, 6, 7, 8], [9, 10], [11, 12, 13, 14, 15, 16]];
const TARGETS = [[4], [5, 6, 7, 8, 9], [10, 11, 12]];

/** The loss and the gradient of every weight (in namedWeights order) by one kernel. */
function lossAndGrads(model: Seq2Seq, rows: number[], kernel: 'native' | 'reference'): { loss: number; grads: Float32Array[] } {
  const batch = translationBatch(rows.map((r) => SOURCES[r]), rows.map((r) => TARGETS[r]));
  const weights = Object.values(model.namedWeights());
  const out = tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => model.loss(batch, { labelSmoothing: 0.1, kernel }), weights);
    return [value, ...weights.map((w) => grads[w.name])];
  });
  const [loss, ...grads] = out.map((t) => t.dataSync() as Float32Array);
  tf.dispose(out);
  disposeBatch(batch);
  return { loss: loss[0], grads };
}

function expectClose(a: Float32Array, b: Float32Array, what: string): void {
  expect(a.length, what).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  expect(worst, what).toBeLessThan(1e-5);
}

describe.runIf(nativeKernels())('the native output layer and loss (native-output-loss.ts)', () => {
  for (const attention of ['luong-general', 'luong-dot', 'bahdanau', 'none'] as const) {
    it(`${attention}: the loss and every weight's gradient equal project + maskedCrossEntropy (B = 3, ragged)`, () => {
      const model = new Seq2Seq({ ...CONFIG, attention });
      const names = Object.keys(model.namedWeights());
      const native = lossAndGrads(model, [0, 1, 2], 'native');
      const reference = lossAndGrads(model, [0, 1, 2], 'reference');
      expect(Math.abs(native.loss - reference.loss)).toBeLessThan(1e-5);
      native.grads.forEach((g, i) => expectClose(g, reference.grads[i], names[i]));
      model.dispose();
    });
  }

  it('a batch of three equals its rows one at a time, weighted by their real target steps', () => {
    const model = new Seq2Seq(CONFIG);
    const steps = TARGETS.map((t) => t.length + 1); // with <eos>
    const total = steps.reduce((a, b) => a + b, 0);
    const batch = lossAndGrads(model, [0, 1, 2], 'native');
    const single = [0, 1, 2].map((r) => lossAndGrads(model, [r], 'native'));
    const loss = single.reduce((sum, s, r) => sum + (s.loss * steps[r]) / total, 0);
    expect(Math.abs(batch.loss - loss)).toBeLessThan(1e-5);
    batch.grads.forEach((g, i) => {
      const mixed = g.map((_, j) => single.reduce((sum, s, r) => sum + (s.grads[i][j] * steps[r]) / total, 0));
      expectClose(g, mixed, Object.keys(model.namedWeights())[i]);
    });
    model.dispose();
  });

  it('leaves no tensor and no module memory behind', () => {
    const model = new Seq2Seq(CONFIG);
    lossAndGrads(model, [0, 1, 2], 'native');
    const tensors = tf.memory().numTensors;
    const bytes = nativeKernels()!.heap.allocatedBytes;
    lossAndGrads(model, [0, 1, 2], 'native');
    expect(tf.memory().numTensors).toBe(tensors);
    expect(nativeKernels()!.heap.allocatedBytes).toBe(bytes);
    model.dispose();
  });

  it("runs tied embeddings on the reference ops, and refuses them with kernel 'native'", () => {
    const model = new Seq2Seq({ ...CONFIG, tiedEmbeddings: true });
    const batch = translationBatch(SOURCES, TARGETS);
    expect(() => model.loss(batch, { kernel: 'native' })).toThrow(/kernel: 'native' cannot run here: tied embeddings/);
    const [fallback, reference] = tf.tidy(() => [model.loss(batch).dataSync()[0], model.loss(batch, { kernel: 'reference' }).dataSync()[0]]);
    expect(fallback).toBe(reference);
    disposeBatch(batch);
    model.dispose();
  });
});
