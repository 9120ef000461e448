/**
 * The model against PyTorch: test/fixtures/seq2seq/seq2seq.json is written by
 * make_seq2seq_fixture.py (nn.Embedding, nn.LSTM/nn.GRU over packed sequences, nn.Linear,
 * CrossEntropyLoss(ignore_index=<pad>, label_smoothing=0.1)); its state_dict loads name for name.
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Seq2Seq, type Seq2SeqConfig } from '../../src/seq2seq/model.ts';
import { disposeBatch, translationBatch } from '../../src/seq2seq/batch.ts';

interface Case {
  config: Seq2SeqConfig;
  weights: Record<string, number[] | number[][]>;
  logits: number[][][];
  alpha: number[][][];
  loss: number;
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/seq2seq/seq2seq.json', import.meta.url), 'utf8')) as {
  sources: number[][];
  targets: number[][];
  labelSmoothing: number;
  cases: Case[];
};

describe('Seq2Seq against PyTorch', () => {
  for (const c of fixture.cases) {
    const title = `${c.config.attention} (${c.config.cell}, ${c.config.bidirectional ? 'bi' : 'uni'}, L=${c.config.numLayers})`;
    it(`${title}: same logits, attention and label-smoothed loss at every real step`, () => {
      const model = new Seq2Seq(c.config);
      const named = model.namedWeights();
      expect(Object.keys(named).sort()).toEqual(Object.keys(c.weights).sort());
      for (const [key, value] of Object.entries(c.weights)) named[key].assign(tf.tensor(value as number[], named[key].shape));
      const batch = translationBatch(fixture.sources, fixture.targets);
      const { logits, alpha } = model.forward(batch);
      const ours = logits.arraySync();
      const ourAlpha = alpha.arraySync();
      batch.targetLengths.forEach((U, b) => {
        for (let u = 0; u < U; u++) {
          ours[b][u].forEach((x, v) => expect(x).toBeCloseTo(c.logits[b][u][v], 5));
          ourAlpha[b][u].forEach((x, t) => expect(x).toBeCloseTo(c.alpha[b][u][t], 5));
        }
      });
      expect(model.loss(batch, { labelSmoothing: fixture.labelSmoothing }).dataSync()[0]).toBeCloseTo(c.loss, 5);
      disposeBatch(batch);
      model.dispose();
    });
  }
});
