/**
 * The files of a translation experiment's data directory (exp/NAME/data), written by the prepare
 * stage and read by the others: SPLIT.tsv (`source<TAB>target` per line) and
 * {source,target}-vocabulary.json.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonFile, readTextFile, Vocabulary, type Seq2SeqDefaults, type VocabularyJSON, type VocabularyLevel } from '../../src/index.ts';

/** One source sentence and its reference translation. */
export interface SentencePair {
  source: string;
  target: string;
}

/** What an ensemble member changes: keys of the model section, and its own batch seed. */
export type MemberOverrides = Partial<Seq2SeqDefaults> & { trainSeed?: number };

/** The config sections a translation recipe has (each recipe adds its own `data` keys). */
export type TranslationRecipeConfig = {
  text: {
    /** The unit of each side: 'character', 'word' or 'subword' (BPE learnt on train). */
    sourceLevel: VocabularyLevel;
    targetLevel: VocabularyLevel;
    /** Keep symbols seen at least this often in train (rarer ones become <unk>); not for 'subword'. */
    minCount: number;
    /** V of each side, specials included: required for 'subword' (the BPE model's size), 0 = no limit otherwise. */
    sourceVocabularySize: number;
    targetVocabularySize: number;
  };
  model: Seq2SeqDefaults;
  train: {
    epochs: number;
    /** Sentence pairs per minibatch (drawn from source-length-sorted buckets). */
    batchSize: number;
    learningRate: number;
    clipNorm: number;
    labelSmoothing: number;
    /** Dev score that picks the best epoch: 'exact' minimises 1 − exact match, 'bleu' minimises −BLEU. */
    selectBy: 'exact' | 'bleu';
    /** K > 1: the mean of the K best epochs' weights, if it scores at least as well on dev; 1: off. */
    average: number;
    /**
     * The ensemble: one entry per member, each overriding keys of the `model` section (and
     * `trainSeed`, the member's batch and dropout seed; default train.seed); [{}] = one model.
     */
    members: MemberOverrides[];
    seed: number;
  };
  decode: {
    /** 1: greedy; K > 1: beam search with K beams. */
    beam: number;
    /** α of beam search's score / |y|^α (length normalisation). */
    lengthPenalty: number;
    /** Splits translated and scored (those the recipe provides). */
    evalSets: string[];
    /** Sentences of the first eval set shown by the demo stage. */
    demoSentences: number;
  };
  report: {
    /** Sentences of the first eval set whose attention the report draws. */
    attentionSentences: number;
  };
};

/** The pairs of split `split` in `dataDir` (stage 1's output). */
export function readSplit(dataDir: string, split: string): SentencePair[] {
  const path = join(dataDir, `${split}.tsv`);
  if (!existsSync(path)) throw new Error(`${path} is missing: run stage 1 (prepare) first`);
  return readTextFile(path)
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const [source, target] = l.split('\t');
      return { source, target };
    });
}

/** The vocabulary of one side, built by stage 1. */
export function readVocabulary(dataDir: string, side: 'source' | 'target'): Vocabulary {
  return readJsonFile(join(dataDir, `${side}-vocabulary.json`), { as: (json) => Vocabulary.fromJSON(json as VocabularyJSON) });
}

/** References as the hypotheses are written: through the target tokeniser and back (spacing, NFC). */
export function normalizedReferences(pairs: readonly SentencePair[], target: Vocabulary): string[] {
  return pairs.map((p) => target.decode(target.encode(p.target)));
}
