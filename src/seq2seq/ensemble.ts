/**
 * An ensemble of M Seq2Seq models seen as one decoder: at each step every member m scores the
 * next symbol from its own state, and the search sees the mean of their log-probabilities,
 *
 *   log p(v | y_<u, x) ∝ (1/M) Σ_m log p_m(v | y_<u, x)          [N, V]   (renormalised by the search)
 *   α_u = (1/M) Σ_m α_u^(m)                                       [N, T]
 *
 * so greedy and beam search (search.ts) run over the ensemble unchanged. The members share the
 * vocabularies (same V and source symbols) but not their weights or sizes. An ensemble of one
 * model decodes as that model alone.
 */
import * as tf from '@tensorflow/tfjs';
import { followBeams, selectRows, stateTensors, type DecoderState, type Seq2Seq } from './model.ts';
import type { StepDecoder } from './search.ts';
import { tidy } from '../nn/tidy.ts';

/** The members' states, member m's at index m. */
export type EnsembleState = DecoderState[];

/** The StepDecoder of an ensemble of `models` (M ≥ 1) over their states. */
export function ensembleDecoder(models: readonly Seq2Seq[]): StepDecoder<EnsembleState> {
  if (models.length === 0) throw new Error('models: an ensemble needs at least one model, got none');
  const V = models[0].config.targetVocabSize;
  models.forEach((m, i) => {
    if (m.config.targetVocabSize !== V) throw new Error(`models[${i}]: target vocabulary size ${m.config.targetVocabSize}, expected ${V} as models[0]`);
  });
  return {
    step: (yPrev, states) =>
      tidy(() => {
        const outs = models.map((m, i) => m.step(yPrev, states[i]));
        const logP = outs.map((o) => tf.logSoftmax(o.logits, -1)); // M × [N, V]
        return {
          logits: tf.div(tf.addN(logP), models.length) as tf.Tensor2D, // mean log p [N, V]
          alpha: tf.div(tf.addN(outs.map((o) => o.alpha)), models.length) as tf.Tensor2D, // [N, T]
          state: outs.map((o) => o.state),
        };
      }),
    selectRows: (states, rows) => states.map((s) => selectRows(s, rows)),
    followBeams: (states, rows) => states.map((s) => followBeams(s, rows)),
    stateTensors: (states) => states.flatMap(stateTensors),
  };
}
