/**
 * The stages every text-classification recipe shares (recipes/imdb, recipes/nsmc): a recipe
 * supplies its config (corpus path and columns, text units, model, training); this runs
 *
 *   Stage 1  prepare   read the TSV, split dev out of it (seeded; by group when data.groupColumn
 *                      is set), top-N vocabulary from train → exp/NAME/data/      (prepare.ts)
 *   Stage 2  train     length-bucketed batches with ragged lengths, dev accuracy after every
 *                      epoch, best epoch kept; checkpoints, --resume → exp/NAME/model/ (train.ts)
 *   Stage 3  evaluate  dev (and eval.testPath) through the saved model → RESULTS.md (evaluate.ts)
 *   Stage 4  demo      a few texts through the saved model
 *   Stage 5  plots     training curves and confusion matrices → exp/NAME/plots/, report.html (plots.ts)
 *
 * exp/NAME/model/ holds everything inference needs: `sori classify --model exp/NAME/model`.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runStages, type Config, type RecipeArgs } from '../../src/index.ts';
import type { ClassificationRecipeConfig, ExpDirs } from './data.ts';
import { prepare } from './prepare.ts';
import { train } from './train.ts';
import { demo, evaluate } from './evaluate.ts';
import { drawReport } from './plots.ts';

export type { ClassificationRecipeConfig } from './data.ts';

/** The classification recipe `name` with the resolved `args`. */
export async function runClassificationRecipe(
  name: string,
  args: Omit<RecipeArgs<Config>, 'config'> & { config: ClassificationRecipeConfig },
): Promise<void> {
  const { config: cfg, expDir } = args;
  const dirs: ExpDirs = { expDir, dataDir: join(expDir, 'data'), trainDir: join(expDir, 'train'), modelDir: join(expDir, 'model') };
  await runStages(
    [
      {
        n: 1,
        name: 'prepare (dev split, vocabulary)',
        config: { data: cfg.data, text: cfg.text },
        inputs: () => [cfg.data.path],
        done: () => ['train.tsv', 'dev.tsv', 'vocabulary.json', 'labels.json'].every((f) => existsSync(join(dirs.dataDir, f))),
        run: () => prepare(cfg, dirs.dataDir),
      },
      {
        n: 2,
        name: 'train (sequence classifier)',
        config: { model: cfg.model, train: cfg.train },
        resumeWith: { model: cfg.model, train: { ...cfg.train, epochs: null } }, // more epochs continue the training
        done: () => existsSync(join(dirs.modelDir, 'weights.safetensors')),
        // a training of other settings or data is never resumed as this one
        clean: () => [dirs.trainDir, dirs.modelDir, join(expDir, 'train-history.json')].forEach((p) => rmSync(p, { recursive: true, force: true })),
        run: () => train(cfg, dirs, args.resume),
      },
      { n: 3, name: 'evaluate (accuracy through the saved model)', run: () => evaluate(name, cfg, dirs) },
      { n: 4, name: 'demo (classify a few texts)', run: () => demo(cfg, dirs) },
      { n: 5, name: 'plots and report (training curves, confusion matrices)', run: () => drawReport(name, cfg, dirs) },
    ],
    args,
  );
}

/**
 * Pick `--config NAME` (or `--config=NAME`) out of a recipe's argv: returns the experiment name
 * (`recipe` for 'default', else `recipe-NAME`), that config and the other arguments.
 */
export function namedConfig<C>(recipe: string, argv: readonly string[], configs: Record<string, C>): { name: string; defaults: C; rest: string[] } {
  const rest: string[] = [];
  let chosen = 'default';
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--config') {
      if (argv[i + 1] === undefined) throw new Error(`recipe ${recipe}: --config needs a value (${Object.keys(configs).join(', ')})`);
      chosen = argv[++i];
    } else if (argv[i].startsWith('--config=')) chosen = argv[i].slice('--config='.length);
    else rest.push(argv[i]);
  }
  if (!(chosen in configs)) throw new Error(`recipe ${recipe}: unknown --config '${chosen}' (configs: ${Object.keys(configs).join(', ')})`);
  return { name: chosen === 'default' ? recipe : `${recipe}-${chosen}`, defaults: configs[chosen], rest };
}
