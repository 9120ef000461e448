/**
 * safetensors files (the format: safetensors-bytes.ts): atomic writes, reads. Node only.
 */
import * as tf from '@tensorflow/tfjs';
import { writeFileAtomic } from './atomic.ts';
import { readRegularFile } from './read-file.ts';
import { decodeSafetensors, encodeSafetensors } from './safetensors-bytes.ts';

export { decodeSafetensors, encodeSafetensors } from './safetensors-bytes.ts';

/** Atomically write named tensors to `path`. */
export function saveSafetensors(
  path: string,
  tensors: Record<string, tf.Tensor>,
  metadata: Record<string, string> = {},
): void {
  writeFileAtomic(path, encodeSafetensors(tensors, metadata));
}

/**
 * Read named tensors from `path` (the caller owns and disposes them). Only a regular file is read
 * (a FIFO or /dev/zero is refused, see readRegularFile), and a symbolic link is refused.
 */
export function loadSafetensors(path: string): {
  tensors: Record<string, tf.Tensor>;
  metadata: Record<string, string>;
} {
  return decodeSafetensors(readRegularFile(path, { what: 'weights file', followSymlinks: false }), path);
}
