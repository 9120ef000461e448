/**
 * Images and caption id rows → a teacher-forcing batch (the layout captionLoss takes):
 *
 *   images     [B, S, S, 3]
 *   targetIn   <sos> y_1 … y_U <pad> …        [B, U+1]
 *   targetOut  y_1 … y_U <eos> <pad> …        [B, U+1]
 */
import * as tf from '@tensorflow/tfjs';
import { checkRank } from '../check.ts';
import { EOS_ID, SOS_ID } from '../text/vocabulary.ts';
import { padSequences } from '../seq2seq/batch.ts';
import type { CaptionBatch } from './captioner.ts';

/** images [B, S, S, 3] and B caption id rows (without special symbols) → a CaptionBatch (the images are kept, not copied). */
export function captionBatch(images: tf.Tensor4D, captions: readonly (readonly number[])[]): CaptionBatch {
  checkRank(images, 4, 'images', '[B, S, S, 3]');
  if (captions.length !== images.shape[0]) {
    throw new Error(`captions: expected ${images.shape[0]} rows (one per image), got ${captions.length}`);
  }
  const targetIn = padSequences(captions.map((t) => [SOS_ID, ...t]));
  const targetOut = padSequences(captions.map((t) => [...t, EOS_ID]));
  return { images, targetIn: targetIn.ids, targetOut: targetOut.ids, targetLengths: targetOut.lengths };
}

/** Free the caption tensors of a batch (and the images when `images` is true). */
export function disposeCaptionBatch(batch: CaptionBatch, { images = false }: { images?: boolean } = {}): void {
  tf.dispose([batch.targetIn, batch.targetOut, ...(images ? [batch.images] : [])]);
}
