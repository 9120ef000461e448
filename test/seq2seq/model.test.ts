import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Seq2Seq, type Seq2SeqConfig } from '../../src/seq2seq/model.ts';
import { disposeBatch, translationBatch, sourceBatch } from '../../src/seq2seq/batch.ts';
import { stepDecoder, translateIds } from '../../src/seq2seq/decode.ts';
import { beamSearch } from '../../src/seq2seq/search.ts';
import { stateTensors } from '../../src/seq2seq/model.ts';

const base: Seq2SeqConfig = {
  sourceVocabSize: 9, targetVocabSize: 8, embeddingSize: 4, hiddenSize: 3, numLayers: 1,
  cell: 'gru', bidirectional: false, attention: 'none', dropout: 0, seed: 11,
};
/** One configuration per attention kind, with different cells, directions and depths. */
const configs: Seq2SeqConfig[] = [
  { ...base, cell: 'mgu', bidirectional: true, attention: 'none' },
  { ...base, cell: 'gru', bidirectional: true, attention: 'bahdanau', attentionSize: 5 },
  { ...base, cell: 'lstm', bidirectional: true, numLayers: 2, attention: 'luong-general' },
  { ...base, cell: 'simple', attention: 'luong-dot' },
];
const name = (c: Seq2SeqConfig) => `${c.attention} (${c.cell}, ${c.bidirectional ? 'bi' : 'uni'}, L=${c.numLayers})`;

const sources = [[4, 5, 6, 7], [8], [5, 4]];
const targets = [[4, 5], [6, 7, 5, 4], [7]];

describe('Seq2Seq', () => {
  it("with attention 'none' reproduces a hand computation on a 1-unit SimpleRNN model", () => {
    const model = new Seq2Seq({ ...base, sourceVocabSize: 5, targetVocabSize: 5, embeddingSize: 1, hiddenSize: 1, cell: 'simple' });
    const w = model.namedWeights();
    const set = (key: string, values: number[], shape: number[]) => w[key].assign(tf.tensor(values, shape));
    set('encoder.embedding.weight', [0, 0.1, 0.2, 0.3, 0.4], [5, 1]); // E_src[v] = v/10
    set('encoder.rnn.weight_ih_l0', [0.5], [1, 1]);
    set('encoder.rnn.weight_hh_l0', [-0.3], [1, 1]);
    set('encoder.rnn.bias_ih_l0', [0.1], [1]);
    set('encoder.rnn.bias_hh_l0', [0], [1]);
    set('decoder.embedding.weight', [0, -0.1, -0.2, -0.3, -0.4], [5, 1]); // E_tgt[v] = −v/10
    set('decoder.rnn.weight_ih_l0', [0.8], [1, 1]);
    set('decoder.rnn.weight_hh_l0', [0.6], [1, 1]);
    set('decoder.rnn.bias_ih_l0', [0], [1]);
    set('decoder.rnn.bias_hh_l0', [0.05], [1]);
    const Wo = [1, -1, 2, 0.5, -2];
    const bo = [0, 0.1, 0, -0.1, 0.2];
    set('decoder.output.weight', Wo, [5, 1]);
    set('decoder.output.bias', bo, [5]);

    // source [4] → encoder reads 4, <eos>=2; target [3] → decoder reads <sos>=1, 3.
    const h1 = Math.tanh(0.5 * 0.4 + 0.1);
    const h2 = Math.tanh(0.5 * 0.2 + 0.1 - 0.3 * h1); // the encoder's final state = s_0
    const s1 = Math.tanh(0.8 * -0.1 + 0.6 * h2 + 0.05);
    const s2 = Math.tanh(0.8 * -0.3 + 0.6 * s1 + 0.05);
    const expected = [s1, s2].flatMap((s) => Wo.map((wv, v) => wv * s + bo[v]));

    const batch = translationBatch([[4]], [[3]]);
    const { logits } = model.forward(batch);
    expect(logits.shape).toEqual([1, 2, 5]);
    expect(Array.from(logits.dataSync())).toEqual(expected.map((x) => expect.closeTo(x, 5)));
    disposeBatch(batch);
    model.dispose();
  });

  for (const config of configs) {
    describe(name(config), () => {
      it('gives logits [B, U, V] and attention [B, U, T] whose rows sum to 1 over real source steps', () => {
        const model = new Seq2Seq(config);
        const batch = translationBatch(sources, targets);
        const { logits, alpha } = model.forward(batch);
        expect(logits.shape).toEqual([3, 5, 8]);
        expect(alpha.shape).toEqual([3, 5, 5]);
        const a = alpha.arraySync();
        batch.sourceLengths.forEach((T, b) => {
          for (const row of a[b]) {
            const sum = row.slice(0, T).reduce((x, y) => x + y, 0);
            expect(sum).toBeCloseTo(config.attention === 'none' ? 0 : 1, 5);
            for (const x of row.slice(T)) expect(x).toBe(0);
          }
        });
        disposeBatch(batch);
        model.dispose();
      });

      it('gives each sample the same logits, attention and loss alone (B=1) as in a padded batch (B=3)', () => {
        const model = new Seq2Seq(config);
        const batch = translationBatch(sources, targets);
        const together = model.forward(batch);
        const lossTogether = model.loss(batch).dataSync()[0];
        let weighted = 0;
        sources.forEach((source, b) => {
          const one = translationBatch([source], [targets[b]]);
          const alone = model.forward(one);
          const U = one.targetLengths[0];
          const T = one.sourceLengths[0];
          const rowsTogether = together.logits.arraySync()[b].slice(0, U).flat();
          alone.logits.arraySync()[0].flat().forEach((x, i) => expect(x).toBeCloseTo(rowsTogether[i], 5));
          const alphaTogether = together.alpha.arraySync()[b].slice(0, U).map((row) => row.slice(0, T)).flat();
          alone.alpha.arraySync()[0].flat().forEach((x, i) => expect(x).toBeCloseTo(alphaTogether[i], 5));
          weighted += U * model.loss(one).dataSync()[0];
          disposeBatch(one);
        });
        const totalU = targets.reduce((n, t) => n + t.length + 1, 0);
        expect(lossTogether).toBeCloseTo(weighted / totalU, 5);
        disposeBatch(batch);
        model.dispose();
      });

      it('gives step-by-step decoding the same logits as teacher forcing', () => {
        const model = new Seq2Seq(config);
        const batch = translationBatch(sources, targets);
        const { logits } = model.forward(batch);
        let state = model.encode(batch.source, batch.sourceLengths);
        const inputs = batch.targetIn.arraySync();
        const forced = logits.arraySync();
        for (let u = 0; u < inputs[0].length; u++) {
          const out = model.step(tf.tensor1d(inputs.map((row) => row[u]), 'int32'), state);
          const stepLogits = out.logits.arraySync();
          batch.targetLengths.forEach((U, b) => {
            if (u < U) stepLogits[b].forEach((x, v) => expect(x).toBeCloseTo(forced[b][u][v], 5));
          });
          state = out.state;
        }
        model.dispose();
      });

      it('decodes greedily exactly as beam search with width 1', () => {
        const model = new Seq2Seq(config);
        const greedy = translateIds(model, sources, { maxLength: 7 });
        const { source, sourceLengths } = sourceBatch(sources);
        const state0 = model.encode(source, sourceLengths);
        const beam = beamSearch(stepDecoder(model), state0, sourceLengths, { beamWidth: 1, maxLength: 7 });
        greedy.forEach((g, b) => {
          expect(beam[b][0].tokens).toEqual(g.tokens);
          expect(beam[b][0].finished).toBe(g.finished);
          expect(beam[b][0].score).toBeCloseTo(g.score, 5);
          expect(beam[b][0].attention.flat()).toEqual(g.attention.flat().map((x) => expect.closeTo(x, 6)));
        });
        tf.dispose([source, ...stateTensors(state0)]);
        model.dispose();
      });

      it('translates each sample the same alone as in a batch, greedy and beam', () => {
        const model = new Seq2Seq(config);
        for (const beamWidth of [1, 3]) {
          const together = translateIds(model, sources, { beamWidth, maxLength: 6 });
          sources.forEach((source, b) => {
            const [alone] = translateIds(model, [source], { beamWidth, maxLength: 6 });
            expect(alone.tokens).toEqual(together[b].tokens);
            expect(alone.score).toBeCloseTo(together[b].score, 4);
            expect(alone.attention.length).toBe(together[b].attention.length);
            for (const row of alone.attention) expect(row.length).toBe(source.length + 1);
          });
        }
        model.dispose();
      });

      it('with the default maxLength (2·T_b + 10 per source), a cut output does not depend on the batch', () => {
        const model = new Seq2Seq(config);
        const mixed = [[4, 5, 6, 7, 8, 4, 5, 6, 7, 8], [8], [5, 4]]; // a long source beside short ones
        for (const beamWidth of [1, 3]) {
          const together = translateIds(model, mixed, { beamWidth });
          mixed.forEach((source, b) => {
            const [alone] = translateIds(model, [source], { beamWidth });
            expect(alone.tokens).toEqual(together[b].tokens);
            expect(alone.finished).toBe(together[b].finished);
            expect(alone.tokens.length + (alone.finished ? 1 : 0)).toBeLessThanOrEqual(2 * source.length + 10);
          });
        }
        model.dispose();
      });
    });
  }

  for (const attention of ['luong-general', 'bahdanau'] as const) {
    it(`${attention}: a training loss with dropoutSeed repeats exactly, and another seed draws other masks`, () => {
      const model = new Seq2Seq({ ...base, attention, numLayers: 2, dropout: 0.5 });
      const batch = translationBatch(sources, targets);
      const loss = (dropoutSeed: number) => model.loss(batch, { training: true, dropoutSeed }).dataSync()[0];
      expect(loss(3)).toBe(loss(3));
      expect(loss(3)).not.toBe(loss(4));
      disposeBatch(batch);
      model.dispose();
    });
  }

  it('leaks no tensors in loss, gradients and translation', () => {
    const model = new Seq2Seq(configs[1]);
    const batch = translationBatch(sources, targets);
    const optimizer = tf.train.adam(0.01);
    const step = () => {
      const { value, grads } = tf.variableGrads(() => model.loss(batch, { training: true, labelSmoothing: 0.1 }));
      optimizer.applyGradients(grads as unknown as Record<string, tf.Variable>);
      tf.dispose([value, ...Object.values(grads)]);
      translateIds(model, sources, { beamWidth: 2, maxLength: 5 });
      translateIds(model, sources, { maxLength: 5 });
    };
    step(); // the optimizer creates its slots on the first step
    const before = tf.memory().numTensors;
    step();
    step();
    expect(tf.memory().numTensors).toBe(before);
    disposeBatch(batch);
    optimizer.dispose();
    model.dispose();
  });

  it('learns to reverse-and-shift a handful of sentences (gradients reach every weight)', () => {
    const model = new Seq2Seq({ ...base, hiddenSize: 12, embeddingSize: 8, attention: 'luong-general', cell: 'gru', bidirectional: false, seed: 5 });
    const pairs = [[4, 5, 6], [7, 8], [5, 5, 4, 7], [6]];
    const wanted = pairs.map((s) => s.slice().reverse().map((v) => v - 1)); // target vocabulary 8: ids 3 … 7
    const batch = translationBatch(pairs, wanted);
    const optimizer = tf.train.adam(0.05);
    let first = 0;
    let last = 0;
    for (let i = 0; i < 100; i++) {
      const { value, grads } = tf.variableGrads(() => model.loss(batch, { training: true }));
      if (i === 0) {
        first = value.dataSync()[0];
        for (const [key, g] of Object.entries(grads)) expect(tf.any(tf.notEqual(g, 0)).dataSync()[0], key).toBe(1);
      }
      last = value.dataSync()[0];
      optimizer.applyGradients(grads as unknown as Record<string, tf.Variable>);
      tf.dispose([value, ...Object.values(grads)]);
    }
    expect(last).toBeLessThan(first / 20);
    expect(translateIds(model, pairs).map((h) => h.tokens)).toEqual(wanted);
    expect(translateIds(model, pairs, { beamWidth: 3 }).map((h) => h.tokens)).toEqual(wanted);
    disposeBatch(batch);
    optimizer.dispose();
    model.dispose();
  });

  it('rejects an unknown option or attention kind, naming it', () => {
    expect(() => new Seq2Seq({ ...base, attention: 'cosine' as never })).toThrow(/attention.*cosine/);
    expect(() => new Seq2Seq({ ...base, heads: 2 } as never)).toThrow(/heads/);
    expect(() => new Seq2Seq({ ...base, attentionSize: 4 })).toThrow(/attentionSize/);
  });
});

describe('translateTexts', () => {
  it('answers an empty line with an empty line and a line of unknown symbols with some answer', async () => {
    const { Vocabulary } = await import('../../src/text/vocabulary.ts');
    const { translateTexts } = await import('../../src/seq2seq/decode.ts');
    const source = Vocabulary.build(['a b c d e'], 'word');
    const target = Vocabulary.build(['가 나 다'], 'word');
    const model = new Seq2Seq({ ...base, sourceVocabSize: source.size, targetVocabSize: target.size, attention: 'bahdanau' });
    const [empty, unknown, known] = translateTexts(model, { source, target }, ['  ', 'x y z', 'a b'], { maxLength: 4 });
    expect(empty).toEqual({ text: '', sourceTokens: [], targetTokens: [], attention: [], score: 0 });
    expect(unknown.sourceTokens).toEqual(['<unk>', '<unk>', '<unk>', '<eos>']);
    expect(unknown.attention.length).toBe(unknown.targetTokens.length);
    for (const row of unknown.attention) expect(row.length).toBe(4);
    expect(typeof unknown.text).toBe('string');
    expect(known.sourceTokens).toEqual(['a', 'b', '<eos>']);
    expect(() => translateTexts(model, { source: target, target }, ['a'])).toThrow(/vocabularies/);
    model.dispose();
  });
});
