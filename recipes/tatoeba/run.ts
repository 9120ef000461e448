/**
 * Korean ↔ English on a manythings.org / Tatoeba TSV (`English<TAB>Korean<TAB>attribution`).
 *
 *   npm run recipe -- tatoeba [--data FILE.tsv] [--direction ko-en|en-ko] [--stage N] [--stop-stage N] [--resume] [--section.key=value]
 *
 * Stage 1  prepare  read --data, split dev and test out of it (seeded), build vocabularies
 * Stage 2  train    bidirectional GRU encoder + Luong attention decoder, best dev BLEU kept
 * Stage 3  decode   translate dev and test with exp/tatoeba/model
 * Stage 4  score    BLEU and exact match → exp/tatoeba/RESULTS.md
 * Stage 5  demo     a few dev sentences
 *
 * The data file is read where it is; only the splits made from it go under exp/tatoeba/data.
 */
import { existsSync } from 'node:fs';
import { mulberry32, parseRecipeArgs, readTextFile, shuffled } from '../../src/index.ts';
import { runTranslationRecipe, type SentencePair } from '../translation/recipe.ts';
import { config as defaults } from './config.ts';

/**
 * The pairs of a Tatoeba TSV turned to `direction`, split into train, dev and test: whole source
 * sentences are dealt (seeded), so a sentence with several translations never straddles splits.
 */
export function splitTatoeba(
  path: string,
  { direction, devSize, testSize, seed }: { direction: string; devSize: number; testSize: number; seed: number },
): Record<'train' | 'dev' | 'test', SentencePair[]> {
  if (direction !== 'en-ko' && direction !== 'ko-en') throw new Error(`--direction: expected en-ko or ko-en, got '${direction}'`);
  if (!existsSync(path)) throw new Error(`--data: '${path}' does not exist (a TSV of English<TAB>Korean<TAB>attribution lines)`);
  const bySource = new Map<string, SentencePair[]>();
  readTextFile(path, { what: '--data' })
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      const [en, ko] = line.split('\t');
      if (ko === undefined || en.trim() === '' || ko.trim() === '') {
        throw new Error(`${path}:${i + 1}: expected English<TAB>Korean<TAB>attribution, got '${line}'`);
      }
      const pair = direction === 'ko-en' ? { source: ko.trim(), target: en.trim() } : { source: en.trim(), target: ko.trim() };
      bySource.set(pair.source, [...(bySource.get(pair.source) ?? []), pair]);
    });
  const sources = shuffled([...bySource.keys()], mulberry32(seed));
  if (devSize + testSize >= sources.length) {
    throw new Error(`data.devSize + data.testSize: ${devSize} + ${testSize} leaves no training data (${sources.length} source sentences)`);
  }
  const take = (keys: string[]) => keys.flatMap((k) => bySource.get(k)!);
  return {
    dev: take(sources.slice(0, devSize)),
    test: take(sources.slice(devSize, devSize + testSize)),
    train: take(sources.slice(devSize + testSize)),
  };
}

export default async function run(argv: string[]): Promise<void> {
  const args = parseRecipeArgs('tatoeba', argv, defaults, { data: 'data.path', direction: 'data.direction' });
  await runTranslationRecipe('tatoeba', args, () => splitTatoeba(args.config.data.path, args.config.data), () => [args.config.data.path]);
}
