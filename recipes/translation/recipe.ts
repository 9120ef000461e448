/**
 * The stages every translation recipe shares (recipes/toy-translation, recipes/tatoeba): a recipe
 * supplies its sentence pairs and its config; this runs
 *
 *   Stage 1  prepare  the pairs of each split → exp/NAME/data/SPLIT.tsv; vocabularies from train
 *   Stage 2  train    Seq2Seq with teacher forcing (train.ts); the best dev epoch kept
 *   Stage 3  decode   translate the eval splits with the saved model → exp/NAME/decode/SPLIT/hyp.txt
 *   Stage 4  score    corpus BLEU (sacreBLEU defaults), chrF2 and exact match → exp/NAME/RESULTS.md
 *   Stage 5  demo     a few sentences through the saved model
 *   Stage 6  report   training curves and attention pictures → exp/NAME/plots/, exp/NAME/report.html
 *
 * exp/NAME/model/ holds everything inference needs: `sori translate --model exp/NAME/model`.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { checkBeam, decodeSplits, hypothesisPath, loadTranslator, runStages, type Config, type RecipeArgs } from '../../src/index.ts';
import { readSplit, type SentencePair, type TranslationRecipeConfig } from './data.ts';
import { prepare } from './prepare.ts';
import { checkMembers, train } from './train.ts';
import { score } from './score.ts';
import { report } from './report.ts';

export type { SentencePair, TranslationRecipeConfig } from './data.ts';

/**
 * The translation recipe `name`: `pairs()` gives the sentence pairs of every split (train, dev, …),
 * read from the files `inputs` (hashed into stage 1's marker, so that stage re-runs when they change).
 */
export async function runTranslationRecipe(
  name: string,
  args: Omit<RecipeArgs<Config>, 'config'> & { config: TranslationRecipeConfig },
  pairs: () => Record<string, SentencePair[]>,
  inputs: () => string[] = () => [],
): Promise<void> {
  const { config: cfg, expDir, resume } = args;
  const dirs = {
    expDir,
    dataDir: join(expDir, 'data'),
    trainDir: join(expDir, 'train'),
    modelDir: join(expDir, 'model'),
    decodeDir: join(expDir, 'decode'),
  };
  const splits = ['train', ...cfg.decode.evalSets.filter((s) => s !== 'train')];
  const search = cfg.decode.beam > 1 ? `beam ${cfg.decode.beam}, α ${cfg.decode.lengthPenalty}` : 'greedy';
  checkBeam(cfg.decode.beam, 'decode.beam');
  if (!(Number.isInteger(cfg.train.average) && cfg.train.average >= 1)) {
    throw new Error(`train.average: expected an integer ≥ 1 (1: off), got ${cfg.train.average}`);
  }
  checkMembers(cfg);

  /** Translate `sources` with the saved model. */
  const translate = (sources: string[]) => {
    const translator = loadTranslator(dirs.modelDir);
    try {
      const options = cfg.decode.beam > 1 ? { beamWidth: cfg.decode.beam, lengthPenalty: cfg.decode.lengthPenalty } : { beamWidth: 1 };
      return translator.translate(sources, options).map((t) => t.text);
    } finally {
      translator.dispose();
    }
  };

  const removeAll = (...paths: string[]) => paths.forEach((p) => rmSync(p, { recursive: true, force: true }));
  await runStages(
    [
      {
        n: 1,
        name: 'prepare (splits, tokenisation, vocabularies)',
        config: { data: (cfg as unknown as Config).data ?? null, text: cfg.text, splits },
        inputs,
        done: () => splits.every((s) => existsSync(join(dirs.dataDir, `${s}.tsv`))) && existsSync(join(dirs.dataDir, 'target-vocabulary.json')),
        run: () => prepare(name, { dataDir: dirs.dataDir, splits, text: cfg.text }, pairs()),
      },
      {
        n: 2,
        name: 'train (encoder-decoder with attention)',
        config: { model: cfg.model, train: cfg.train },
        resumeWith: { model: cfg.model, train: { ...cfg.train, epochs: null } }, // more epochs continue the training
        done: () => existsSync(join(dirs.modelDir, 'weights.safetensors')),
        // a training of other settings or data (say, en-ko before --direction ko-en) is never resumed as this one
        clean: () => removeAll(dirs.trainDir, dirs.modelDir, join(expDir, 'train-history.json')),
        run: () => {
          if (args.force && !resume) rmSync(dirs.trainDir, { recursive: true, force: true }); // --force: train from scratch
          return train({ ...dirs, resume }, cfg);
        },
      },
      {
        n: 3,
        name: `decode (${search})`,
        config: { evalSets: cfg.decode.evalSets, beam: cfg.decode.beam },
        done: () => cfg.decode.evalSets.every((s) => existsSync(hypothesisPath(dirs.decodeDir, s))),
        run: () => decodeSplits(cfg.decode.evalSets, dirs.decodeDir, (split) => translate(readSplit(dirs.dataDir, split).map((p) => p.source))),
      },
      { n: 4, name: 'score (BLEU, chrF2, exact match)', run: () => score(name, dirs, cfg) },
      {
        n: 5,
        name: 'demo (translate a few sentences)',
        run: () => {
          const shown = readSplit(dirs.dataDir, cfg.decode.evalSets[0]).slice(0, cfg.decode.demoSentences);
          const out = translate(shown.map((p) => p.source));
          shown.forEach((p, i) => console.log(`${p.source}\t→ ${out[i]}\t(reference: ${p.target})`));
        },
      },
      { n: 6, name: 'plots and report', run: () => report(name, dirs, cfg) },
    ],
    args,
  );
}
