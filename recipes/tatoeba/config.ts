/**
 * The one config file of the tatoeba recipe (manythings.org / Tatoeba sentence pairs). Override
 * any key on the command line:
 *
 *   npm run recipe -- tatoeba --data ../shared/corpora/tatoeba-kor-eng/kor.txt --direction en-ko --train.epochs=20
 */
import { seq2seqDefaults, type Seq2SeqDefaults, type TokenLevel } from '../../src/index.ts';

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
  text: { sourceLevel: 'character' as TokenLevel, targetLevel: 'word' as TokenLevel, minCount: 1 },
  model: { ...seq2seqDefaults, embeddingSize: 64, hiddenSize: 128, dropout: 0.3 } as Seq2SeqDefaults,
  train: {
    epochs: 12,
    batchSize: 32,
    learningRate: 0.003,
    clipNorm: 5,
    labelSmoothing: 0.1,
    /** Keep the epoch with the best dev BLEU. */
    selectBy: 'bleu' as 'exact' | 'bleu',
    seed: 1,
  },
  decode: { beam: 5, evalSets: ['dev', 'test'], demoSentences: 8 },
  /** The last stage's pictures (exp/NAME/plots/, exp/NAME/report.html). */
  report: { attentionSentences: 3 },
};

export type TatoebaConfig = typeof config;
