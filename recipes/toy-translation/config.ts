/**
 * The one config file of the toy-translation recipe: each section is a component's typed
 * defaults, with the values this recipe uses. Override any key on the command line:
 *
 *   npm run recipe -- toy-translation --model.hiddenSize=32 --train.epochs=6
 */
import type { MemberOverrides } from '../translation/data.ts';
import { seq2seqDefaults, type Seq2SeqDefaults, type VocabularyLevel } from '../../src/index.ts';

export const config = {
  data: {
    /** The committed corpus: train.tsv, dev.tsv, test.tsv (English<TAB>Korean). */
    corpus: 'corpora/toy-translation',
    /** 'en-ko' (English → Korean, the corpus's direction) or 'ko-en'. */
    direction: 'en-ko',
  },
  text: { sourceLevel: 'word' as VocabularyLevel, targetLevel: 'word' as VocabularyLevel, minCount: 1, sourceVocabularySize: 0, targetVocabularySize: 0 },
  /** GRU bidirectional H=64 E=32, Luong general (the vocabulary sizes are set from the data). */
  model: { ...seq2seqDefaults } as Seq2SeqDefaults,
  train: {
    epochs: 4,
    batchSize: 64,
    learningRate: 0.005,
    clipNorm: 5,
    labelSmoothing: 0,
    /** The toy corpus has one right answer: keep the epoch with the best dev exact match. */
    selectBy: 'exact' as 'exact' | 'bleu',
    average: 1,
    members: [{}] as MemberOverrides[],
    seed: 1,
  },
  decode: { beam: 1, lengthPenalty: 1, evalSets: ['dev', 'test'], demoSentences: 5 },
  /** The last stage's pictures (exp/NAME/plots/, exp/NAME/report.html). */
  report: { attentionSentences: 3 },
};

export type ToyTranslationConfig = typeof config;
