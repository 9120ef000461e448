/**
 * The stages every text-classification recipe shares (recipes/imdb, recipes/nsmc): a recipe
 * supplies its config (corpus path and columns, text units, model, training); this runs
 *
 *   Stage 1  prepare   read the TSV, split dev out of it (seeded; by group when data.groupColumn
 *                      is set), top-N vocabulary from train → exp/NAME/data/
 *   Stage 2  train     length-bucketed batches with ragged lengths, Adam or RMSprop, dev accuracy
 *                      after every epoch, best epoch kept; checkpoints, --resume → exp/NAME/model/
 *   Stage 3  evaluate  dev (and eval.testPath when given) through the saved model → RESULTS.md
 *   Stage 4  demo      a few texts through the saved model
 *
 * exp/NAME/model/ holds everything inference needs: `sori classify --model exp/NAME/model`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { writeConfig, type Config } from '../train/config.ts';
import { writeFileAtomic, writeJsonAtomic } from '../train/atomic.ts';
import { loadWeights } from '../train/checkpoint.ts';
import { mulberry32 } from '../train/random.ts';
import { runStages } from '../train/stages.ts';
import { cosineSchedule, trainLoop } from '../train/train-loop.ts';
import type { RecipeArgs } from '../train/recipe-args.ts';
import { Vocabulary, type VocabularyJSON } from '../text/vocabulary.ts';
import { textUnits, type TextUnit } from '../text/word-tokenizer.ts';
import { encodeUnits, fitLength, topVocabulary, type KeepMode } from '../text/top-vocabulary.ts';
import { classifierLoss, classifierWeights, createClassifier, disposeClassifier, type ClassifierConfig } from './classifier.ts';
import { lengthBucketedBatches, padRows } from './batches.ts';
import { summary } from './summary.ts';
import { classifyIds, loadTextClassifier, saveTextClassifier, textClassifier } from './text-classifier.ts';
import { readLabelledTsv, splitDev, type LabelledText } from './labelled-tsv.ts';

/** The config sections of a classification recipe. */
export type ClassificationRecipeConfig = {
  data: {
    /** The labelled TSV (read in place, never copied). */
    path: string;
    textColumn: string;
    labelColumn: string;
    /** Split dev by this column's groups (e.g. 'movie'); '' splits by sample. */
    groupColumn: string;
    /** Share of the samples (or groups) held out as dev. */
    devFraction: number;
    seed: number;
  };
  text: {
    unit: TextUnit;
    /** V: the most frequent units of train, special symbols included. */
    vocabSize: number;
    /** T_max: longer texts are cut to this many units. */
    maxLength: number;
    keep: KeepMode;
  };
  model: Omit<ClassifierConfig, 'vocabSize' | 'numClasses' | 'maxLength'>;
  train: {
    epochs: number;
    /** Texts per minibatch (length-bucketed). */
    batchSize: number;
    optimizer: 'adam' | 'rmsprop';
    learningRate: number;
    /** Cosine decay to this rate at the last epoch (= learningRate: constant). */
    finalLearningRate: number;
    /** Clip the global gradient norm (0: off). */
    clipNorm: number;
    seed: number;
  };
  eval: {
    /** A further labelled TSV (same columns) to evaluate in stage 3, e.g. a held-back test half; '' for none. */
    testPath: string;
  };
  demo: { texts: string[] };
};

type Split = { labels: string[]; rows: LabelledText[] };

const readSplit = (dataDir: string, split: string): LabelledText[] => {
  const path = join(dataDir, `${split}.tsv`);
  if (!existsSync(path)) throw new Error(`${path} is missing: run stage 1 (prepare) first`);
  return readLabelledTsv(path, { textColumn: 'text', labelColumn: 'label' });
};

/** Accuracy and per-class counts of predictions against gold labels. */
export function accuracyOf(probabilities: number[][], gold: readonly number[]): number {
  let correct = 0;
  probabilities.forEach((p, i) => (correct += p.indexOf(Math.max(...p)) === gold[i] ? 1 : 0));
  return correct / Math.max(1, gold.length);
}

/** The classification recipe `name` with the resolved `args`. */
export async function runClassificationRecipe(
  name: string,
  args: Omit<RecipeArgs<Config>, 'config'> & { config: ClassificationRecipeConfig },
): Promise<void> {
  const { config: cfg, expDir } = args;
  const dataDir = join(expDir, 'data');
  const trainDir = join(expDir, 'train');
  const modelDir = join(expDir, 'model');
  writeConfig(join(expDir, 'config.json'), cfg as unknown as Config);
  const readPrepared = (): { train: Split; dev: Split; vocabulary: Vocabulary } => {
    const { labels } = JSON.parse(readFileSync(join(dataDir, 'labels.json'), 'utf8')) as { labels: string[] };
    const vocabulary = Vocabulary.fromJSON(JSON.parse(readFileSync(join(dataDir, 'vocabulary.json'), 'utf8')) as VocabularyJSON);
    return { train: { labels, rows: readSplit(dataDir, 'train') }, dev: { labels, rows: readSplit(dataDir, 'dev') }, vocabulary };
  };
  const classIds = (rows: readonly LabelledText[], labels: readonly string[], source: string) =>
    rows.map((r, i) => {
      const k = labels.indexOf(r.label);
      if (k < 0) throw new Error(`${source} row ${i + 1}: label '${r.label}' is not one of the model's labels (${labels.join(', ')})`);
      return k;
    });

  await runStages(
    [
      {
        n: 1,
        name: 'prepare (dev split, vocabulary)',
        done: () => ['train.tsv', 'dev.tsv', 'vocabulary.json', 'labels.json'].every((f) => existsSync(join(dataDir, f))),
        run: () => {
          const { path, textColumn, labelColumn, groupColumn, devFraction, seed } = cfg.data;
          const rows = readLabelledTsv(path, { textColumn, labelColumn, groupColumn });
          const { train, dev } = splitDev(rows, { devFraction, seed, byGroup: groupColumn !== '' });
          const labels = [...new Set(train.map((r) => r.label))].sort();
          if (labels.length < 2) throw new Error(`${path}: the training split has ${labels.length} label(s) (${labels.join(', ')}); a classifier needs at least 2`);
          const tsv = (rs: LabelledText[]) => 'label\ttext\n' + rs.map((r) => `${r.label}\t${r.text}`).join('\n') + '\n';
          writeFileAtomic(join(dataDir, 'train.tsv'), tsv(train));
          writeFileAtomic(join(dataDir, 'dev.tsv'), tsv(dev));
          const level = cfg.text.unit === 'word' ? 'word' : 'character';
          const vocabulary = topVocabulary(
            train.map((r) => textUnits(r.text, cfg.text.unit)),
            cfg.text.vocabSize,
            level,
          );
          writeJsonAtomic(join(dataDir, 'vocabulary.json'), vocabulary.toJSON());
          writeJsonAtomic(join(dataDir, 'labels.json'), { labels });
          const groups = (rs: LabelledText[]) => (groupColumn ? `, ${new Set(rs.map((r) => r.group)).size} ${groupColumn}s` : '');
          console.log(`  train: ${train.length} texts${groups(train)}; dev: ${dev.length} texts${groups(dev)}`);
          console.log(`  labels: ${labels.join(', ')}; vocabulary: ${vocabulary.size} ${cfg.text.unit} units`);
        },
      },
      {
        n: 2,
        name: 'train (sequence classifier)',
        done: () => existsSync(join(modelDir, 'weights.safetensors')),
        run: async () => {
          const { train, dev, vocabulary } = readPrepared();
          const labels = train.labels;
          const modelConfig: ClassifierConfig = {
            ...cfg.model,
            vocabSize: vocabulary.size,
            numClasses: labels.length,
            maxLength: cfg.text.maxLength,
          };
          const model = createClassifier(modelConfig, { seed: cfg.train.seed });
          console.log(summary(model));
          const encode = (rows: LabelledText[]) =>
            rows.map((r) => fitLength(encodeUnits(vocabulary, textUnits(r.text, cfg.text.unit)), cfg.text.maxLength, cfg.text.keep));
          const trainIds = encode(train.rows);
          const trainLabels = classIds(train.rows, labels, 'train');
          const devIds = encode(dev.rows);
          const devLabels = classIds(dev.rows, labels, 'dev');
          const tokens = trainIds.reduce((s, r) => s + r.length, 0);
          console.log(`  ${trainIds.length} training texts, ${tokens} units (${(tokens / trainIds.length).toFixed(0)} per text after cutting to ${cfg.text.maxLength})`);
          const weights = classifierWeights(model);
          const { optimizer: kind, learningRate, finalLearningRate, epochs, batchSize, seed } = cfg.train;
          const optimizer = kind === 'rmsprop' ? tf.train.rmsprop(learningRate, 0.9, 0, 1e-7) : tf.train.adam(learningRate);
          if (kind !== 'adam' && kind !== 'rmsprop') throw new Error(`train.optimizer: expected 'adam' or 'rmsprop', got '${kind}'`);
          const padTo = modelConfig.pooling === 'flatten' ? modelConfig.maxLength : undefined;
          const lengths = trainIds.map((r) => r.length);
          const t0 = performance.now();
          const state = await trainLoop({
            dir: trainDir,
            weights,
            optimizer,
            epochs,
            resume: args.resume,
            clipNorm: cfg.train.clipNorm,
            learningRate: finalLearningRate === learningRate ? undefined : cosineSchedule(learningRate, finalLearningRate, epochs),
            // Batches and dropout masks depend only on the seed and the epoch, so a resumed run repeats exactly.
            batches: (epoch) => {
              const random = mulberry32(seed * 1000 + epoch);
              return lengthBucketedBatches(lengths, { batchSize, seed: seed * 1000 + epoch }).map((indices) => ({
                indices,
                maskSeed: Math.floor(random() * 2 ** 31),
              }));
            },
            batchSize: (b) => b.indices.length,
            loss: ({ indices, maskSeed }) => {
              const { ids, lengths: batchLengths } = padRows(
                indices.map((i) => trainIds[i]),
                padTo,
              );
              const loss = classifierLoss(
                model,
                ids,
                batchLengths,
                indices.map((i) => trainLabels[i]),
                { training: true, dropoutSeed: maskSeed },
              );
              ids.dispose();
              return loss;
            },
            validate: async () => {
              const accuracy = accuracyOf(classifyIds(model, devIds, 128), devLabels);
              return { score: 1 - accuracy, devAccuracy: accuracy };
            },
          });
          const seconds = (performance.now() - t0) / 1000;
          loadWeights(join(trainDir, 'best.safetensors'), weights);
          const unitName = cfg.text.unit;
          saveTextClassifier(modelDir, textClassifier(model, vocabulary, { unit: unitName, keep: cfg.text.keep }, labels));
          disposeClassifier(model);
          writeJsonAtomic(join(expDir, 'train-history.json'), { ...state, seconds });
          const best = state.history.find((h) => h.epoch === state.bestEpoch) ?? {};
          console.log(
            `  best dev accuracy ${(100 * Number(best.devAccuracy)).toFixed(2)}% at epoch ${state.bestEpoch}; ` +
              `${seconds.toFixed(0)} s of training in this run; model in ${modelDir}`,
          );
        },
      },
      {
        n: 3,
        name: 'evaluate (accuracy through the saved model)',
        run: () => {
          const classifier = loadTextClassifier(modelDir);
          const sets: [string, LabelledText[]][] = [['dev', readSplit(dataDir, 'dev')]];
          if (cfg.eval.testPath) {
            const { textColumn, labelColumn } = cfg.data;
            sets.push(['test', readLabelledTsv(cfg.eval.testPath, { textColumn, labelColumn })]);
          }
          const rows = ['| set | texts | accuracy % |', '|---|---|---|'];
          const scores: Record<string, { texts: number; accuracy: number; seconds: number }> = {};
          for (const [setName, data] of sets) {
            const t0 = performance.now();
            const p = classifier.probabilities(data.map((r) => r.text), { batchSize: 128 });
            const accuracy = accuracyOf(p, classIds(data, classifier.labels, setName));
            scores[setName] = { texts: data.length, accuracy, seconds: (performance.now() - t0) / 1000 };
            rows.push(`| ${setName} | ${data.length} | ${(100 * accuracy).toFixed(2)} |`);
          }
          const historyPath = join(expDir, 'train-history.json');
          const history = existsSync(historyPath) ? JSON.parse(readFileSync(historyPath, 'utf8')) : undefined;
          const m = classifier.model.config;
          const encoder = m.encoder === 'none' ? 'no encoder' : `${m.bidirectional ? 'bidirectional ' : ''}${m.encoder.toUpperCase()} H=${m.hiddenSize} ×${m.numLayers}`;
          const report =
            `# ${name} results\n\n` +
            `Model: embedding ${m.vocabSize}×${m.embeddingSize}, ${encoder}, pooling ${m.pooling}, dropout ${m.dropout}, ` +
            `${m.loss} cross-entropy; ${cfg.text.unit} units cut to ${m.maxLength} (${cfg.text.keep}).\n\n` +
            `${rows.join('\n')}\n` +
            (history ? `\nTraining: ${history.epoch} epochs, best dev at epoch ${history.bestEpoch}, ${Number(history.seconds).toFixed(0)} s in the last run.\n` : '');
          writeFileAtomic(join(expDir, 'RESULTS.md'), report);
          writeJsonAtomic(join(expDir, 'scores.json'), scores);
          console.log(report);
          classifier.dispose();
        },
      },
      {
        n: 4,
        name: 'demo (classify a few texts)',
        run: () => {
          const classifier = loadTextClassifier(modelDir);
          const p = classifier.probabilities(cfg.demo.texts);
          cfg.demo.texts.forEach((text, i) => {
            const k = p[i].indexOf(Math.max(...p[i]));
            console.log(`${classifier.labels[k]}\t${p[i][k].toFixed(4)}\t${text}`);
          });
          classifier.dispose();
        },
      },
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
