/**
 * Stage 2 of the translation recipes: Seq2Seq with teacher forcing, Adam, label smoothing and
 * gradient clipping; dev translated greedily after every epoch, the best dev epoch kept (by BLEU
 * or exact match), checkpoints every epoch (--resume). The model directory it writes holds all
 * that inference needs (`sori translate --model`).
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  corpusBleu,
  epochBatches,
  exactMatch,
  lengthBuckets,
  loadWeights,
  saveTranslator,
  Seq2Seq,
  trainLoop,
  translateIds,
  translationBatch,
  writeJsonAtomic,
} from '../../src/index.ts';
import { normalizedReferences, readSplit, readVocabulary, type TranslationRecipeConfig } from './data.ts';

export async function train(
  { expDir, dataDir, trainDir, modelDir, resume }: { expDir: string; dataDir: string; trainDir: string; modelDir: string; resume: boolean },
  cfg: TranslationRecipeConfig,
): Promise<void> {
  const source = readVocabulary(dataDir, 'source');
  const target = readVocabulary(dataDir, 'target');
  const train = readSplit(dataDir, 'train')
    .map((p) => ({ x: source.encode(p.source), y: target.encode(p.target) }))
    .filter((e) => e.x.length > 0);
  const dev = readSplit(dataDir, 'dev');
  const devIds = dev.map((p) => source.encode(p.source));
  const devRefs = normalizedReferences(dev, target);
  const model = new Seq2Seq({ ...cfg.model, sourceVocabSize: source.size, targetVocabSize: target.size });
  const weights = model.namedWeights();
  const optimizer = tf.train.adam(cfg.train.learningRate);
  const buckets = lengthBuckets(train, (e) => e.x.length * 1e6 + e.y.length, cfg.train.batchSize);

  /** Greedy translations of dev with the current weights → BLEU and exact match. */
  const scoreDev = () => {
    const hyps = translateIds(model, devIds).map((h) => target.decode(h.tokens));
    return { bleu: corpusBleu(hyps, devRefs).score, exact: exactMatch(hyps, devRefs) };
  };

  const t0 = performance.now();
  const state = await trainLoop({
    dir: trainDir,
    weights,
    optimizer,
    epochs: cfg.train.epochs,
    resume,
    clipNorm: cfg.train.clipNorm,
    // Each batch carries the seed of its dropout masks, so a run (and a resumed run) repeats exactly.
    batches: (epoch) => epochBatches(buckets, cfg.train.seed, epoch),
    batchSize: (b) => b.examples.length,
    loss: ({ examples, maskSeed }) => {
      const batch = translationBatch(examples.map((e) => e.x), examples.map((e) => e.y));
      return model.loss(batch, { training: true, labelSmoothing: cfg.train.labelSmoothing, dropoutSeed: maskSeed });
    },
    validate: async () => {
      const { bleu, exact } = scoreDev();
      return { score: cfg.train.selectBy === 'bleu' ? -bleu : 1 - exact, devBleu: bleu, devExact: exact };
    },
    labels: { score: { hide: true }, devBleu: { label: 'dev BLEU' }, devExact: { label: 'dev exact match', percent: true } },
  });
  const seconds = (performance.now() - t0) / 1000;
  loadWeights(join(trainDir, 'best.safetensors'), weights);
  saveTranslator(modelDir, model, { source, target });
  model.dispose();
  const steps = buckets.length * state.epoch;
  writeJsonAtomic(join(expDir, 'train-history.json'), { ...state, steps, seconds });
  const best = state.history.find((h) => h.epoch === state.bestEpoch) ?? {};
  console.log(
    `  best dev: BLEU ${Number(best.devBleu).toFixed(2)}, exact match ${(100 * Number(best.devExact)).toFixed(2)}% ` +
      `at epoch ${state.bestEpoch}; ${steps} steps, ${seconds.toFixed(0)} s in this run; model in ${modelDir}`,
  );
}
