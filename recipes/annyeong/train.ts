/**
 * Stage 3 of the annyeong recipe: frame stacking → bidirectional RNN stack → linear → CTC loss
 * (blank 6), Adam on length-sorted buckets with SpecAugment, the epoch with the best greedy CER on
 * the validation lists kept; with `train.average` K > 1, the mean of the K best epochs' weights
 * when it validates at least as well (checkpoint averaging).
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  averageWeights,
  cosineSchedule,
  createCtcModel,
  ctcGreedyDecode,
  ctcLoss,
  ctcModelLogits,
  ctcModelWeights,
  decodeLabels,
  epochBatches,
  epochWeightsPath,
  errorRates,
  lengthBuckets,
  loadWeights,
  mulberry32,
  saveCtcModel,
  specAugment,
  trainLoop,
  writeJsonAtomic,
  type CtcModel,
  type SymbolTable,
} from '../../src/index.ts';
import type { AnnyeongConfig } from './config.ts';
import { batchOf, loadExamples, type Example } from './data.ts';

/** Greedy CER over examples with the current weights. */
function greedyCer(model: CtcModel, examples: Example[], symbols: SymbolTable): number {
  const refs: string[] = [];
  const hyps: string[] = [];
  for (let i = 0; i < examples.length; i += 32) {
    const chunk = examples.slice(i, i + 32);
    const { x, lengths } = batchOf(chunk);
    const { logits, lengths: outLengths } = ctcModelLogits(model, x, lengths);
    const paths = ctcGreedyDecode(logits, { blank: symbols.blank, inputLengths: outLengths });
    tf.dispose([x, logits]);
    chunk.forEach((e, b) => {
      refs.push(e.text);
      hyps.push(decodeLabels(paths[b], symbols));
    });
  }
  return errorRates(refs, hyps).cer;
}

export async function train(
  { expDir, featDir, trainDir, modelDir, resume }: { expDir: string; featDir: string; trainDir: string; modelDir: string; resume: boolean },
  cfg: AnnyeongConfig,
  symbols: SymbolTable,
): Promise<void> {
  const examples = loadExamples(featDir, 'train');
  const valid = cfg.data.validSets.flatMap((split) => loadExamples(featDir, split));
  const model = createCtcModel(cfg.model);
  const weights = ctcModelWeights(model);
  const optimizer = tf.train.adam(cfg.train.learningRate);
  const buckets = lengthBuckets(examples, (e) => e.feats.shape[0], cfg.train.batchSize);
  const state = await trainLoop({
    dir: trainDir,
    weights,
    optimizer,
    epochs: cfg.train.epochs,
    resume,
    keepEpochs: cfg.train.average > 1,
    clipNorm: cfg.train.clipNorm,
    learningRate: cosineSchedule(cfg.train.learningRate, cfg.train.finalLearningRate, cfg.train.epochs),
    // Each batch carries the seed of its SpecAugment and dropout masks, so a resumed run sees the same ones.
    batches: (epoch) => epochBatches(buckets, cfg.train.seed, epoch),
    batchSize: (b) => b.examples.length,
    loss: ({ examples, maskSeed }) => {
      const { x, lengths } = batchOf(examples);
      const masked = specAugment(x, lengths, cfg.specAugment, mulberry32(maskSeed)); // [B, T, F]
      const { logits, lengths: outLengths } = ctcModelLogits(model, masked, lengths, { training: true, dropoutSeed: maskSeed });
      return ctcLoss(
        logits,
        examples.map((e) => e.labels),
        outLengths,
        examples.map((e) => e.labels.length),
        { blank: symbols.blank, reduction: 'mean' },
      ) as tf.Scalar;
    },
    validate: async () => ({ score: greedyCer(model, valid, symbols) }),
    labels: { score: { label: `${cfg.data.validSets.join(' + ')} CER`, percent: true } },
  });
  loadWeights(join(trainDir, 'best.safetensors'), weights);
  const validNames = cfg.data.validSets.join(' + ');
  console.log(`  best ${validNames} CER ${(100 * state.best).toFixed(2)}% at epoch ${state.bestEpoch}`);
  let averaged: { epochs: number[]; score: number; kept: boolean } | undefined;
  if (cfg.train.average > 1) {
    // the mean of the K best epochs' weights, kept if it validates at least as well as the best epoch
    const epochs = [...state.history]
      .sort((a, b) => a.score - b.score || b.epoch - a.epoch)
      .slice(0, cfg.train.average)
      .map((h) => h.epoch);
    averageWeights(epochs.map((e) => epochWeightsPath(trainDir, e)), weights);
    const score = greedyCer(model, valid, symbols);
    averaged = { epochs, score, kept: score <= state.best };
    console.log(
      `  average of epochs ${epochs.join(', ')}: ${validNames} CER ${(100 * score).toFixed(2)}% → ` +
        (averaged.kept ? 'kept' : `the best epoch (${state.bestEpoch}) kept`),
    );
    if (!averaged.kept) loadWeights(join(trainDir, 'best.safetensors'), weights);
  }
  saveCtcModel(modelDir, model, { symbols: symbols.symbols, blank: symbols.blank, features: cfg.features });
  writeJsonAtomic(join(expDir, 'train-history.json'), { ...state, averaged });
  console.log(`  model in ${modelDir}`);
}
