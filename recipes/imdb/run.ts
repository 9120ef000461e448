/**
 * Sentiment of IMDB movie reviews (the training half of the Large Movie Review Dataset).
 *
 *   npm run recipe -- imdb [--config default|lab1|lab2|lab3] [--data FILE.tsv] [--stage N] [--stop-stage N] [--resume] [--section.key=value]
 *
 * Stage 1  prepare   split dev (10 %) and heldout (5 %) out of --data (seeded), top-N word vocabulary
 * Stage 2  train     embedding → encoder → pooling → dropout → dense; best dev accuracy kept
 * Stage 3  evaluate  dev and heldout accuracy (and --eval.testPath, e.g. the held-back test half) → RESULTS.md
 * Stage 4  demo      a few reviews
 * Stage 5  plots     training curves, confusion matrices
 *
 * The default config writes under exp/imdb, a lab under exp/imdb-labN.
 */
import { parseRecipeArgs } from '../../src/index.ts';
import { namedConfig, runClassificationRecipe } from '../classification/recipe.ts';
import { configs } from './config.ts';

export default async function run(argv: string[]): Promise<void> {
  const { name, defaults, rest } = namedConfig('imdb', argv, configs);
  const args = parseRecipeArgs(name, rest, defaults, { data: 'data.path' });
  await runClassificationRecipe(name, args);
}
