/**
 * The one config file of the tatoeba recipe (manythings.org / Tatoeba sentence pairs). Override
 * any key on the command line:
 *
 *   npm run recipe -- tatoeba --data ../shared/corpora/tatoeba-kor-eng/kor.txt --direction en-ko --train.epochs=20
 */
import type { MemberOverrides } from '../translation/data.ts';
import { seq2seqDefaults, type Seq2SeqDefaults, type VocabularyLevel } from '../../src/index.ts';

export const config = {
  data: {
    /** A TSV of `English<TAB>Korean<TAB>attribution` lines (read in place, never copied). */
    path: '../shared/corpora/tatoeba-kor-eng/kor.txt',
    /** 'ko-en' (Korean → English) or 'en-ko'. */
    direction: 'ko-en',
    /** Source sentences held out for dev and test (all pairs of one source sentence stay together). */
    devSize: 300,
    testSize: 300,
    /** Seed of the split. */
    seed: 7,
  },
  text: { sourceLevel: 'character' as VocabularyLevel, targetLevel: 'word' as VocabularyLevel, minCount: 1, sourceVocabularySize: 0, targetVocabularySize: 0 },
  model: { ...seq2seqDefaults, embeddingSize: 64, hiddenSize: 128, dropout: 0.3 } as Seq2SeqDefaults,
  train: {
    epochs: 12,
    batchSize: 32,
    learningRate: 0.003,
    clipNorm: 5,
    labelSmoothing: 0.1,
    /** Keep the epoch with the best dev BLEU. */
    selectBy: 'bleu' as 'exact' | 'bleu',
    /** K > 1: the mean of the K best epochs' weights if it scores as well on dev (1: off). */
    average: 1,
    /**
     * The ensemble: one entry per member, overriding keys of `model` (and trainSeed): two models
     * alike but for their seeds (dev BLEU 12.64 against 10.10 and 11.29 for each alone).
     */
    members: [{}, { seed: 2, trainSeed: 2 }] as MemberOverrides[],
    seed: 1,
  },
  decode: { beam: 5, lengthPenalty: 1, evalSets: ['dev', 'test'], demoSentences: 8 },
  /** The last stage's pictures (exp/NAME/plots/, exp/NAME/report.html). */
  report: { attentionSentences: 3 },
};

export type TatoebaConfig = typeof config;
