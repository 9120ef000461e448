/**
 * A model's named weights and how stored tensors are assigned to them: pure (no files), so the
 * browser entry loads model weights from fetched bytes; weights.ts reads and writes files.
 * Names are stable across runs (PyTorch-style names such as 'rnn.weight_ih_l0'), so stored
 * weights load into the same model built anew.
 */
import * as tf from '@tensorflow/tfjs';
import { decodeSafetensors } from './safetensors-bytes.ts';

/** Named trainable weights: the names are stable across runs (e.g. PyTorch-style names). */
export type NamedWeights = Record<string, tf.Variable>;

/**
 * Assign `stored[prefix + name]` to each of `weights`: every weight must be there with its shape,
 * and `stored` may hold nothing else under `prefix`. `source` names the file in errors.
 */
export function assignNamed(stored: Record<string, tf.Tensor>, weights: NamedWeights, source: string, prefix: string): void {
  for (const [name, v] of Object.entries(weights)) {
    const t = stored[prefix + name];
    if (!t) throw new Error(`${source}: weight '${name}' is missing`);
    if (!tf.util.arraysEqual(t.shape, v.shape)) {
      throw new Error(`${source}: weight '${name}' has shape [${t.shape}], the model expects [${v.shape}]`);
    }
    v.assign(t);
  }
  const extra = Object.keys(stored)
    .filter((k) => k.startsWith(prefix))
    .map((k) => k.slice(prefix.length))
    .filter((k) => !(k in weights));
  if (extra.length) throw new Error(`${source}: weights not in the model: ${extra.join(', ')}`);
}

/**
 * Assign the weights stored in safetensors `bytes` to `weights` (every name and shape must match)
 * and return the file's metadata; `source` names the file or URL in errors.
 */
export function assignWeightBytes(bytes: Uint8Array, weights: NamedWeights, source: string): Record<string, string> {
  const { tensors, metadata } = decodeSafetensors(bytes, source);
  try {
    assignNamed(tensors, weights, source, '');
  } finally {
    tf.dispose(Object.values(tensors));
  }
  return metadata;
}
