/**
 * Stage 2 of a classification recipe: the sequence classifier trained on length-bucketed batches
 * with ragged lengths (Adam or RMSprop, optional cosine decay, gradient clipping), dev accuracy
 * after every epoch (dev read at text.readLength), the best epoch kept, or the mean of the last
 * train.average epochs; a checkpoint after every epoch (--resume) →
 * exp/NAME/model/ (what `sori classify` loads) and exp/NAME/train-history.json.
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  accuracy,
  averageWeights,
  classifierLoss,
  classifierWeights,
  classifyIds,
  cosineSchedule,
  createClassifier,
  disposeClassifier,
  encodeUnits,
  epochWeightsPath,
  fitLength,
  lengthBucketedBatches,
  loadWeights,
  mulberry32,
  padRows,
  saveTextClassifier,
  summary,
  textClassifier,
  textUnits,
  trainLoop,
  writeJsonAtomic,
  type ClassifierConfig,
  type LabelledText,
} from '../../src/index.ts';
import { classIds, readPrepared, readSplit, type ClassificationRecipeConfig, type ExpDirs } from './data.ts';

export async function train(cfg: ClassificationRecipeConfig, dirs: ExpDirs, resume: boolean): Promise<void> {
  const { labels, vocabulary } = readPrepared(dirs.dataDir);
  const trainRows = readSplit(dirs.dataDir, 'train');
  const devRows = readSplit(dirs.dataDir, 'dev');
  const modelConfig: ClassifierConfig = { ...cfg.model, vocabSize: vocabulary.size, numClasses: labels.length, maxLength: cfg.text.maxLength };
  const { optimizer: kind, learningRate, finalLearningRate, epochs, batchSize, seed } = cfg.train;
  const { average } = cfg.train;
  if (!(Number.isInteger(average) && average >= 1 && average <= epochs)) throw new Error(`train.average: expected an integer in [1, ${epochs}] (train.epochs), got ${average}`);
  if (kind !== 'adam' && kind !== 'rmsprop') throw new Error(`train.optimizer: expected 'adam' or 'rmsprop', got '${kind}'`);
  const model = createClassifier(modelConfig, { seed });
  console.log(summary(model));
  const encode = (rows: LabelledText[]) =>
    rows.map((r) => fitLength(encodeUnits(vocabulary, textUnits(r.text, cfg.text.unit)), cfg.text.maxLength, cfg.text.keep));
  const trainIds = encode(trainRows);
  const trainLabels = classIds(trainRows, labels, 'train');
  const readLength = cfg.text.readLength || cfg.text.maxLength;
  const devIds = devRows.map((r) => fitLength(encodeUnits(vocabulary, textUnits(r.text, cfg.text.unit)), readLength, cfg.text.keep));
  const devLabels = classIds(devRows, labels, 'dev');
  const units = trainIds.reduce((s, r) => s + r.length, 0);
  console.log(`  ${trainIds.length} training texts, ${units} units (${(units / trainIds.length).toFixed(0)} per text, cut to ${cfg.text.maxLength})`);

  const weights = classifierWeights(model);
  // Keras's RMSprop: ρ = 0.9, ε = 1e-7.
  const optimizer = kind === 'rmsprop' ? tf.train.rmsprop(learningRate, 0.9, 0, 1e-7) : tf.train.adam(learningRate);
  const padTo = modelConfig.pooling === 'flatten' ? modelConfig.maxLength : undefined;
  const lengths = trainIds.map((r) => r.length);
  const t0 = performance.now();
  const state = await trainLoop({
    dir: dirs.trainDir,
    weights,
    optimizer,
    epochs,
    resume,
    keepEpochs: true,
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
      const labelsOfBatch = indices.map((i) => trainLabels[i]);
      const loss = classifierLoss(model, ids, batchLengths, labelsOfBatch, { training: true, dropoutSeed: maskSeed });
      ids.dispose();
      return loss;
    },
    validate: async () => {
      const devAccuracy = accuracy(classifyIds(model, devIds, 128), devLabels);
      return { score: 1 - devAccuracy, devAccuracy };
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  if (average > 1) {
    const last = Array.from({ length: average }, (_, i) => epochs - average + 1 + i);
    averageWeights(
      last.map((e) => epochWeightsPath(dirs.trainDir, e)),
      weights,
    );
    const devAccuracy = accuracy(classifyIds(model, devIds, 128), devLabels);
    console.log(`  the mean of epochs ${last.join(', ')}: dev accuracy ${(100 * devAccuracy).toFixed(2)}%`);
    writeJsonAtomic(join(dirs.expDir, 'average.json'), { epochs: last, devAccuracy });
  } else loadWeights(join(dirs.trainDir, 'best.safetensors'), weights);
  const text = { unit: cfg.text.unit, keep: cfg.text.keep, ...(cfg.text.readLength ? { maxLength: cfg.text.readLength } : {}) };
  saveTextClassifier(dirs.modelDir, textClassifier(model, vocabulary, text, labels));
  disposeClassifier(model);
  writeJsonAtomic(join(dirs.expDir, 'train-history.json'), { ...state, seconds });
  const best = state.history.find((h) => h.epoch === state.bestEpoch) ?? {};
  console.log(
    `  best epoch's dev accuracy ${(100 * Number(best.devAccuracy)).toFixed(2)}% at epoch ${state.bestEpoch}; ` +
      `${seconds.toFixed(0)} s of training in this run; model in ${dirs.modelDir}`,
  );
}
