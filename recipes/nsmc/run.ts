/**
 * Sentiment of Korean movie reviews (200,000 Naver reviews in the manner of NSMC), syllable units.
 *
 *   npm run recipe -- nsmc [--data FILE.tsv] [--stage N] [--stop-stage N] [--resume] [--section.key=value]
 *
 * Stage 1  prepare   hold out the reviews of 10 % of the movies as dev and of 5 % more as heldout (seeded), syllable vocabulary
 * Stage 2  train     embedding → bidirectional GRU → mean+max pooling → dropout → dense
 * Stage 3  evaluate  dev and heldout accuracy (and --eval.testPath) → exp/nsmc/RESULTS.md
 * Stage 4  demo      a few reviews
 * Stage 5  plots     training curves, confusion matrices
 */
import { parseRecipeArgs } from '../../src/index.ts';
import { namedConfig, runClassificationRecipe } from '../classification/recipe.ts';
import { configs } from './config.ts';

export default async function run(argv: string[]): Promise<void> {
  const { name, defaults, rest } = namedConfig('nsmc', argv, configs);
  const args = parseRecipeArgs(name, rest, defaults, { data: 'data.path' });
  await runClassificationRecipe(name, args);
}
