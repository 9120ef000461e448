/**
 * Tensors made from views of memory that will be reused (sori's native kernels' memory, handed
 * back right after): the wasm backend copies an array into its own heap the moment it makes a
 * tensor of it, so the view serves as it is; the cpu backend keeps the very array it is given,
 * and the node backend keeps it until the tensor is first used, so there the view is copied first.
 * On the wasm backend this saves an allocation and a copy per array: an LSTM layer's outputs
 * (B 32, T 100, H 128) are 1.6 MB, and such allocations, several per layer and step, set off
 * V8's mark-compacts (a few ms each).
 */
import * as tf from '@tensorflow/tfjs';

/** A float32 tensor of `shape` holding `values` now, whatever later happens to the memory under `values`. */
export function tensorFromView<T extends tf.Tensor>(values: Float32Array, shape: number[]): T {
  return tf.tensor(tf.getBackend() === 'wasm' ? values : values.slice(), shape, 'float32') as T;
}
