/**
 * English → Korean on the generated toy corpus (corpora/toy-translation, made by generate.ts):
 * the word order changes (SVO → SOV) and particles follow the noun's last syllable.
 *
 *   npm run recipe -- toy-translation [--stage N] [--stop-stage N] [--resume] [--direction ko-en] [--section.key=value]
 *
 * Stage 1  prepare  read train/dev/test.tsv, build word vocabularies
 * Stage 2  train    bidirectional GRU encoder + Luong attention decoder, best dev exact match kept
 * Stage 3  decode   translate dev and test with exp/toy-translation/model
 * Stage 4  score    BLEU and exact match → exp/toy-translation/RESULTS.md (bar: test ≥ 99 %)
 * Stage 5  demo     a few test sentences
 */
import { join } from 'node:path';
import { parseRecipeArgs, readTextFile } from '../../src/index.ts';
import { runTranslationRecipe, type SentencePair } from '../translation/recipe.ts';
import { config as defaults } from './config.ts';

/** Pairs of `English<TAB>Korean` lines, turned to `direction`. */
export function readToyPairs(path: string, direction: string): SentencePair[] {
  if (direction !== 'en-ko' && direction !== 'ko-en') throw new Error(`--direction: expected en-ko or ko-en, got '${direction}'`);
  return readTextFile(path, { what: '--corpus' })
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line, i) => {
      const [en, ko] = line.split('\t');
      if (ko === undefined) throw new Error(`${path}:${i + 1}: expected English<TAB>Korean, got '${line}'`);
      return direction === 'en-ko' ? { source: en, target: ko } : { source: ko, target: en };
    });
}

export default async function run(argv: string[]): Promise<void> {
  const args = parseRecipeArgs('toy-translation', argv, defaults, { direction: 'data.direction', corpus: 'data.corpus' });
  const { corpus, direction } = args.config.data;
  await runTranslationRecipe('toy-translation', args, () =>
    Object.fromEntries(['train', 'dev', 'test'].map((split) => [split, readToyPairs(join(corpus, `${split}.tsv`), direction)])),
    () => ['train', 'dev', 'test'].map((split) => join(corpus, `${split}.tsv`)),
  );
}
