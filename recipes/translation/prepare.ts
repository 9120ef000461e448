/**
 * Stage 1 of the translation recipes: the pairs of every split → exp/NAME/data/SPLIT.tsv, and the
 * source and target vocabularies built from train.
 */
import { join } from 'node:path';
import { Vocabulary, writeFileAtomic, writeJsonAtomic } from '../../src/index.ts';
import type { SentencePair, TranslationRecipeConfig } from './data.ts';

export function prepare(
  name: string,
  { dataDir, splits, text }: { dataDir: string; splits: string[]; text: TranslationRecipeConfig['text'] },
  all: Record<string, SentencePair[]>,
): void {
  for (const split of splits) {
    if (!all[split]) throw new Error(`recipe ${name}: no split '${split}' (splits: ${Object.keys(all).join(', ')})`);
    const lines = all[split].map((p, i) => {
      if (p.source.includes('\t') || p.target.includes('\t')) throw new Error(`${split} pair ${i + 1}: a sentence holds a tab`);
      return `${p.source}\t${p.target}`;
    });
    writeFileAtomic(join(dataDir, `${split}.tsv`), lines.join('\n') + '\n');
  }
  const { sourceLevel, targetLevel, minCount } = text;
  const source = Vocabulary.build(all.train.map((p) => p.source), sourceLevel, { minCount });
  const target = Vocabulary.build(all.train.map((p) => p.target), targetLevel, { minCount });
  writeJsonAtomic(join(dataDir, 'source-vocabulary.json'), source.toJSON());
  writeJsonAtomic(join(dataDir, 'target-vocabulary.json'), target.toJSON());
  for (const split of splits) console.log(`  ${split}: ${all[split].length} pairs`);
  console.log(`  vocabularies: source ${source.size} ${sourceLevel} symbols, target ${target.size} ${targetLevel} symbols`);
}
