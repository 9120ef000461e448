/**
 * The one config file of the annyeong recipe: each section is a component's typed defaults,
 * with the values this recipe uses. Override any key on the command line:
 *
 *   npm run recipe -- annyeong --model.hiddenSize=64 --train.epochs=20
 */
import { ctcModelDefaults, specAugmentDefaults, speechFeatureDefaults, type CtcModelConfig } from '../../src/index.ts';

export const config = {
  data: {
    /** The committed corpus (Kaldi data dirs train/, dev/, test/, test-unseen/, dev-unseen/ and symbols.txt). */
    corpus: 'corpora/annyeong',
    /**
     * Held-out lists whose pooled greedy CER picks the best epoch: dev (the training conditions)
     * and dev-unseen (test-unseen's conditions, other utterances). test and test-unseen are
     * only ever scored.
     */
    validSets: ['dev', 'dev-unseen'],
    /** Splits decoded and scored after training. */
    evalSets: ['dev', 'dev-unseen', 'test', 'test-unseen'],
  },
  features: { ...speechFeatureDefaults },
  // dropout 0: SpecAugment and the perturbed copies regularise enough (with 0.1, dev + dev-unseen
  // CER was no better over training seeds 1–3).
  model: { ...ctcModelDefaults, inputSize: 13, numClasses: 7, frameStack: 2, hiddenSize: 64, dropout: 0 } as CtcModelConfig,
  train: {
    epochs: 24,
    /** Utterances per minibatch (batches are drawn from length-sorted buckets). */
    batchSize: 16,
    /** Adam's rate at the first epoch, decayed along a cosine to finalLearningRate at the last. */
    learningRate: 0.004,
    finalLearningRate: 0.004,
    clipNorm: 5,
    /**
     * K > 1: keep every epoch's weights and end with the mean of the K best-validated epochs'
     * weights (checkpoint averaging) if it validates at least as well as the best epoch alone.
     */
    average: 5,
    seed: 1,
  },
  /**
   * Extra training copies: each training utterance gets ⌊fraction⌋ copies and one more with
   * probability fraction − ⌊fraction⌋ (0 turns it off). A copy is made by one kind drawn
   * uniformly: speed perturbation by a factor in `speeds`, the band of `bandRate` Hz audio
   * (telephone-like copies for 8 kHz input), or (if `snrs` is not empty) white, pink or brown
   * noise at an SNR in dB drawn from `snrs`; speed and band copies get such noise on top with
   * probability `noiseOnTop`.
   */
  augment: { fraction: 2, speeds: [0.9, 1.1], bandRate: 8000, snrs: [6, 10, 14], noiseOnTop: 0.3, seed: 1 },
  /** SpecAugment masks on the training batches (set the counts to 0 to turn it off). */
  specAugment: { ...specAugmentDefaults },
  decode: {
    /** 1: greedy best path; K > 1: prefix beam search with K hypotheses. */
    beam: 1,
    /** Test files transcribed at the end of the demo. */
    demoFiles: 4,
  },
  /**
   * The last stage's pictures (exp/annyeong/plots/, exp/annyeong/report.html): the training
   * curves, and the spectrogram, posteriorgram and α-β trellis of the first utterance of each of
   * these splits (those among data.evalSets), aligned to its reference transcript.
   */
  report: { splits: ['test', 'test-unseen'] },
};

export type AnnyeongConfig = typeof config;
