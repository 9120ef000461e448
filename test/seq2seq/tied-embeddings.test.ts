import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Seq2Seq, type Seq2SeqConfig } from '../../src/seq2seq/model.ts';
import { disposeBatch, translationBatch } from '../../src/seq2seq/batch.ts';

const config: Seq2SeqConfig = {
  sourceVocabSize: 9, targetVocabSize: 8, embeddingSize: 4, hiddenSize: 3, numLayers: 1,
  cell: 'gru', bidirectional: true, attention: 'luong-general', dropout: 0, seed: 11, tiedEmbeddings: true,
};
const sources = [[4, 5, 6, 7], [8], [5, 4]];
const targets = [[4, 5], [6, 7, 5, 4], [7]];

describe('tied target embeddings', () => {
  it('keep one matrix for target embeddings and output weights (no decoder.output.weight)', () => {
    const model = new Seq2Seq(config);
    const names = Object.keys(model.namedWeights());
    expect(names).toContain('decoder.embedding.weight');
    expect(names).toContain('decoder.tied_projection.weight');
    expect(names).toContain('decoder.output.bias');
    expect(names).not.toContain('decoder.output.weight');
    expect(model.namedWeights()['decoder.tied_projection.weight'].shape).toEqual([4, 6]); // W_p [E, H·D]
    model.dispose();
  });

  it('give logits z = E_tgt (W_p h̃) + b_o: with E_tgt = 0 every logit row is b_o', () => {
    const model = new Seq2Seq(config);
    const w = model.namedWeights();
    w['decoder.embedding.weight'].assign(tf.zeros([8, 4]));
    const batch = translationBatch(sources, targets);
    const { logits } = model.forward(batch);
    const b = Array.from(w['decoder.output.bias'].dataSync());
    for (const row of (logits.arraySync() as number[][][]).flat()) row.forEach((z, v) => expect(z).toBeCloseTo(b[v], 6));
    disposeBatch(batch);
    model.dispose();
  });

  it('send the loss gradient into the shared matrix from both its uses', () => {
    const model = new Seq2Seq(config);
    const batch = translationBatch(sources, targets);
    const E = model.namedWeights()['decoder.embedding.weight'];
    const grad = tf.grad(() => model.loss(batch))(E);
    // Row 3 (<unk>) is never a decoder input here, so only the output use can reach it.
    expect(Math.max(...Array.from(tf.abs(grad.slice([3, 0], [1, 4])).dataSync()))).toBeGreaterThan(0);
    disposeBatch(batch);
    model.dispose();
  });

  it('are off by default: an untied model keeps its own output weight', () => {
    const model = new Seq2Seq({ ...config, tiedEmbeddings: undefined });
    expect(Object.keys(model.namedWeights())).toContain('decoder.output.weight');
    model.dispose();
  });
});
