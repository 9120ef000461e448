/**
 * Stage 2: train the captioner with teacher forcing and Adam on augmented train images; after
 * each epoch caption dev greedily and keep the epoch with the best exact match (any reference).
 *
 * Augmentation, drawn per batch from a seed fixed by (train.seed, epoch, batch), so a resumed run
 * repeats exactly: mirror left–right with the caption mirrored too (grammar.ts mirrorCaption);
 * x ← clip(a·x + b + σ·n, 0, 1) with contrast a, brightness b and noise σ per image.
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  Vocabulary, captionBatch, cosineSchedule, captionIds, captionLoss, captionerWeights, createCaptioner, disposeCaptioner,
  imageBatch, loadWeights, mulberry32, readImages, saveCaptioner, trainLoop, writeJsonAtomic,
  shuffledBatches,
} from '../../src/index.ts';
import type { ShapesCaptionConfig } from './config.ts';
import type { ImageSet } from './data.ts';
import { mirrorCaption } from './grammar.ts';

/** Pixels of every image of a set, S×S (a file that cannot be read stops training, by name). */
export function readPixels(set: ImageSet, S: number): Float32Array[] {
  return readImages(set.paths, S).map((r) => {
    if (r.error !== undefined) throw new Error(r.error);
    return r.pixels;
  });
}

/** One augmented copy of an S×S image (see the top); returns whether it was mirrored. */
export function augmentImage(pixels: Float32Array, S: number, cfg: ShapesCaptionConfig['augment'], random: () => number): { pixels: Float32Array; mirrored: boolean } {
  const mirrored = random() < cfg.mirror;
  const a = 1 + cfg.contrast * (2 * random() - 1);
  const b = cfg.brightness * (2 * random() - 1);
  const sigma = cfg.noise * random();
  const out = new Float32Array(pixels.length);
  for (let i = 0; i < S; i++) {
    for (let j = 0; j < S; j++) {
      const from = (i * S + (mirrored ? S - 1 - j : j)) * 3;
      const to = (i * S + j) * 3;
      for (let ch = 0; ch < 3; ch++) {
        let n = 0;
        if (sigma > 0) n = Math.sqrt(-2 * Math.log(Math.max(random(), 1e-12))) * Math.cos(2 * Math.PI * random());
        out[to + ch] = Math.min(1, Math.max(0, a * pixels[from + ch] + b + sigma * n));
      }
    }
  }
  return { pixels: out, mirrored };
}

/** Greedy captions of `pixels` in chunks of 100 → texts. */
export function captionPixels(model: ReturnType<typeof createCaptioner>, vocabulary: Vocabulary, pixels: Float32Array[], beamWidth = 1): string[] {
  const S = model.config.imageSize;
  const out: string[] = [];
  for (let i = 0; i < pixels.length; i += 100) {
    const images = imageBatch(pixels.slice(i, i + 100), S);
    out.push(...captionIds(model, images, { beamWidth }).map((h) => vocabulary.decode(h.tokens)));
    images.dispose();
  }
  return out;
}

/** Fraction of hypotheses equal to one of their references. */
export function exactMatchAny(hyps: readonly string[], refs: readonly (readonly string[])[]): number {
  if (hyps.length === 0) return 0;
  return hyps.filter((h, i) => refs[i].includes(h.trim())).length / hyps.length;
}

export async function trainStage(opts: {
  cfg: ShapesCaptionConfig;
  train: ImageSet;
  dev: ImageSet;
  expDir: string;
  resume: boolean;
}): Promise<void> {
  const { cfg, train, dev, expDir } = opts;
  const S = cfg.model.imageSize;
  const vocabulary = Vocabulary.build(train.texts, 'word');
  const t0 = performance.now();
  const trainPixels = readPixels(train, S);
  const devPixels = readPixels(dev, S);
  console.log(`  read ${trainPixels.length} train and ${devPixels.length} dev images in ${((performance.now() - t0) / 1000).toFixed(1)} s; vocabulary ${vocabulary.size} words`);
  const model = createCaptioner({ ...cfg.model, vocabSize: vocabulary.size });
  const weights = captionerWeights(model);
  const count = Object.values(weights).reduce((n, w) => n + w.size, 0);
  console.log(`  captioner: attention ${cfg.model.attention}, CNN ${cfg.model.cnn.channels.join('-')} → grid ${model.grid.G}×${model.grid.C}, ${cfg.model.cell.toUpperCase()} H=${cfg.model.hiddenSize}; ${count} weights`);
  const ids = train.texts.map((t) => vocabulary.encode(t));
  const mirroredIds = train.texts.map((t) => vocabulary.encode(mirrorCaption(t)));
  const order = train.ids.map((_, i) => i);
  const { batchSize } = cfg.train;

  const trainDir = join(expDir, 'train');
  const t1 = performance.now();
  const state = await trainLoop({
    dir: trainDir,
    weights,
    optimizer: tf.train.adam(cfg.train.learningRate),
    epochs: cfg.train.epochs,
    resume: opts.resume,
    clipNorm: cfg.train.clipNorm,
    learningRate: cosineSchedule(cfg.train.learningRate, cfg.train.finalLearningRate, cfg.train.epochs),
    batches: (epoch) => shuffledBatches(order, batchSize, cfg.train.seed, epoch),
    batchSize: (b) => b.examples.length,
    loss: ({ examples: rows, maskSeed: seed }) => {
      const random = mulberry32(seed);
      const augmented = rows.map((r) => augmentImage(trainPixels[r], S, cfg.augment, random));
      const images = imageBatch(augmented.map((a) => a.pixels), S); // [B, S, S, 3]
      const batch = captionBatch(images, rows.map((r, k) => (augmented[k].mirrored ? mirroredIds[r] : ids[r])));
      return captionLoss(model, batch, { training: true, labelSmoothing: cfg.train.labelSmoothing, dropoutSeed: seed });
    },
    validate: async () => {
      const exact = exactMatchAny(captionPixels(model, vocabulary, devPixels), dev.references);
      return { score: 1 - exact, devExact: exact };
    },
  });
  const seconds = (performance.now() - t1) / 1000;
  loadWeights(join(trainDir, 'best.safetensors'), weights);
  saveCaptioner(join(expDir, 'model'), model, vocabulary);
  disposeCaptioner(model);
  writeJsonAtomic(join(expDir, 'train-history.json'), { ...state, seconds });
  const best = state.history.find((h) => h.epoch === state.bestEpoch) ?? {};
  console.log(`  best dev exact match ${(100 * Number(best.devExact)).toFixed(2)}% at epoch ${state.bestEpoch}; ${seconds.toFixed(0)} s of training in this run`);
}
