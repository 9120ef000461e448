/**
 * A captioner from a model directory: what `sori caption` and the recipe's decode stage run.
 *
 *   DIR/model.json            { model: CaptionerConfig }
 *   DIR/weights.safetensors   the named weights (captionerWeights)
 *   DIR/vocabulary.json       { level, tokens }  (writes the caption text)
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadWeights, saveWeights } from '../io/weights.ts';
import { writeJsonAtomic } from '../io/atomic.ts';
import { EOS, Vocabulary, type VocabularyJSON } from '../text/vocabulary.ts';
import { imageBatch } from '../image/load-image.ts';
import { readImages } from '../image/read-images.ts';
import { captionerWeights, createCaptioner, disposeCaptioner, type Captioner, type CaptionerConfig } from './captioner.ts';
import { captionIds, type CaptionOptions } from './decode.ts';
import { readModelJson } from '../io/model-dir.ts';

/** One image's caption, with what is needed to draw its attention. */
export interface Caption {
  /** the caption text */
  text: string;
  /** the output words, '<eos>' last when finished: the attention's rows [U(+1)] */
  tokens: string[];
  /** α [U(+1)][G]: each row over the grid cells, row-major on a side × side grid */
  attention: number[][];
  /** the grid side (G = side²) */
  gridSide: number;
  /** log p(caption | image) */
  score: number;
}

/** One file's outcome in {@link ImageCaptioner.captionFiles}: a caption or the error naming the file. */
export type FileCaption = { path: string; caption: Caption; error?: undefined } | { path: string; caption?: undefined; error: string };

export interface ImageCaptioner {
  model: Captioner;
  vocabulary: Vocabulary;
  /** Images [B, S, S, 3] (RGB in [0, 1]) → one caption each. */
  caption(images: tf.Tensor4D, options?: CaptionOptions): Caption[];
  /** Image files (PNG or JPEG, resized to S×S) → a caption per readable file, an error per bad one. */
  captionFiles(paths: readonly string[], options?: CaptionOptions & { batchSize?: number; readFile?: (path: string) => Uint8Array }): FileCaption[];
  dispose(): void;
}

/** Write everything inference needs to `dir` (each file atomically). */
export function saveCaptioner(dir: string, model: Captioner, vocabulary: Vocabulary): void {
  if (vocabulary.size !== model.config.vocabSize) {
    throw new Error(`vocabulary: ${vocabulary.size} symbols do not match the model's vocabSize ${model.config.vocabSize}`);
  }
  saveWeights(join(dir, 'weights.safetensors'), captionerWeights(model));
  writeJsonAtomic(join(dir, 'vocabulary.json'), vocabulary.toJSON());
  writeJsonAtomic(join(dir, 'model.json'), { model: model.config });
}

/** A JSON file of model directory `dir` (a regular file, no symbolic link; errors name the file, never quote it). */
function readJson<T>(path: string, dir: string): T {
  return readModelJson(dir, path.slice(dir.length + 1)) as T;
}

/** Wrap a model and its vocabulary as an ImageCaptioner. */
export function imageCaptioner(model: Captioner, vocabulary: Vocabulary): ImageCaptioner {
  const side = Math.round(Math.sqrt(model.grid.G));
  const caption = (images: tf.Tensor4D, options: CaptionOptions = {}): Caption[] =>
    captionIds(model, images, options).map((h) => ({
      text: vocabulary.decode(h.tokens),
      tokens: [...vocabulary.decodeTokens(h.tokens), ...(h.finished ? [EOS] : [])],
      attention: h.attention,
      gridSide: side,
      score: h.score,
    }));
  return {
    model,
    vocabulary,
    caption,
    captionFiles(paths, { batchSize = 64, readFile, ...options } = {}) {
      const S = model.config.imageSize;
      const out: FileCaption[] = [];
      for (let i = 0; i < paths.length; i += batchSize) {
        const read = readImages(paths.slice(i, i + batchSize), S, { readFile });
        const ok = read.filter((r) => r.pixels !== undefined);
        const captions: Caption[] = [];
        if (ok.length > 0) {
          const images = imageBatch(ok.map((r) => r.pixels!), S);
          try {
            captions.push(...caption(images, options));
          } finally {
            images.dispose();
          }
        }
        let k = 0;
        for (const r of read) out.push(r.error === undefined ? { path: r.path, caption: captions[k++] } : { path: r.path, error: r.error });
      }
      return out;
    },
    dispose: () => disposeCaptioner(model),
  };
}

/** Load the captioner stored in `dir` by {@link saveCaptioner}. */
export function loadCaptioner(dir: string): ImageCaptioner {
  const { model: config } = readJson<{ model: CaptionerConfig }>(join(dir, 'model.json'), dir);
  const vocabulary = Vocabulary.fromJSON(readJson<VocabularyJSON>(join(dir, 'vocabulary.json'), dir));
  const model = createCaptioner(config);
  try {
    loadWeights(join(dir, 'weights.safetensors'), captionerWeights(model));
  } catch (err) {
    disposeCaptioner(model);
    throw err;
  }
  return imageCaptioner(model, vocabulary);
}
