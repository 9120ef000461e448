/**
 * Id sequences of different lengths → padded batches, the layout every seq2seq function takes.
 *
 *   source     x_1 … x_T <eos> <pad> …        [B, T]     (the <eos> tells the encoder the sentence ended)
 *   targetIn   <sos> y_1 … y_U <pad> …        [B, U+1]   decoder inputs (teacher forcing)
 *   targetOut  y_1 … y_U <eos> <pad> …        [B, U+1]   what the decoder must predict
 */
import * as tf from '@tensorflow/tfjs';
import { EOS_ID, PAD_ID, SOS_ID } from '../text/vocabulary.ts';

/** A padded translation batch: int32 ids and the real length of each row. */
export interface TranslationBatch {
  /** [B, T] source ids + <eos>, padded with <pad> = 0 */
  source: tf.Tensor2D;
  /** T_b: real source steps per sample (with the <eos>) */
  sourceLengths: number[];
  /** [B, U] <sos> + target ids, padded */
  targetIn: tf.Tensor2D;
  /** [B, U] target ids + <eos>, padded */
  targetOut: tf.Tensor2D;
  /** U_b: real target steps per sample (with the <eos>) */
  targetLengths: number[];
}

/** Rows of ids → [B, max length] int32, padded with `padId`; plus the lengths. */
export function padSequences(rows: readonly (readonly number[])[], padId = PAD_ID): { ids: tf.Tensor2D; lengths: number[] } {
  const lengths = rows.map((r) => r.length);
  const T = Math.max(1, ...lengths);
  const flat = new Int32Array(rows.length * T).fill(padId);
  rows.forEach((r, b) => flat.set(r, b * T));
  return { ids: tf.tensor2d(flat, [rows.length, T], 'int32'), lengths }; // [B, T]
}

/** Source rows → encoder input: each row + <eos>, padded. Returns ids [B, T] and lengths. */
export function sourceBatch(sources: readonly (readonly number[])[]): { source: tf.Tensor2D; sourceLengths: number[] } {
  const { ids, lengths } = padSequences(sources.map((s) => [...s, EOS_ID]));
  return { source: ids, sourceLengths: lengths };
}

/** Pairs of id rows (without special symbols) → a padded TranslationBatch. */
export function translationBatch(
  sources: readonly (readonly number[])[],
  targets: readonly (readonly number[])[],
): TranslationBatch {
  if (sources.length !== targets.length) {
    throw new Error(`targets: expected ${sources.length} rows (one per source), got ${targets.length}`);
  }
  const { source, sourceLengths } = sourceBatch(sources);
  const targetIn = padSequences(targets.map((t) => [SOS_ID, ...t]));
  const targetOut = padSequences(targets.map((t) => [...t, EOS_ID]));
  return { source, sourceLengths, targetIn: targetIn.ids, targetOut: targetOut.ids, targetLengths: targetOut.lengths };
}

/** Free the tensors of a batch. */
export function disposeBatch(batch: TranslationBatch): void {
  tf.dispose([batch.source, batch.targetIn, batch.targetOut]);
}

/** [B, T] float mask: 1 where t < lengths[b], else 0. */
export function lengthMask(lengths: readonly number[], T: number): tf.Tensor2D {
  const flat = new Float32Array(lengths.length * T);
  lengths.forEach((len, b) => flat.fill(1, b * T, b * T + Math.min(len, T)));
  return tf.tensor2d(flat, [lengths.length, T]); // [B, T]
}
