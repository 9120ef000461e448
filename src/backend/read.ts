/**
 * Reading a tensor's values into JavaScript, fast on the wasm backend.
 *
 * tfjs-backend-wasm's readSync copies with `HEAPU8.slice(…)`, an order of magnitude slower in
 * Node 20 than copying a Float32Array view of the same bytes with `.slice()` (`npm run bench --
 * rnn-step` times the 'fused' kernel, which reads one tensor per step and direction). Where the backend
 * exposes its heap the view is used; anywhere else (cpu, node, a changed wasm backend) this is
 * plain dataSync.
 */
import * as tf from '@tensorflow/tfjs';

interface WasmBackendInternals {
  wasm?: { HEAPU8?: Uint8Array };
  dataIdMap?: { get(dataId: object): { memoryOffset?: number } | undefined };
}

/** The values of a float32 tensor as a new Float32Array (row-major). */
export function readFloat32(t: tf.Tensor): Float32Array {
  const backend = tf.backend() as unknown as WasmBackendInternals;
  const heap = backend.wasm?.HEAPU8;
  const offset = t.dtype === 'float32' ? backend.dataIdMap?.get(t.dataId)?.memoryOffset : undefined;
  if (heap && typeof offset === 'number') return new Float32Array(heap.buffer, offset, t.size).slice();
  return Float32Array.from(t.dataSync()); // a copy: the cpu backend hands out the tensor's own array
}

/** Copy the values of a float32 tensor into `into` (at least t.size long), without an intermediate array where the backend allows. */
export function copyFloat32(t: tf.Tensor, into: Float32Array): void {
  const backend = tf.backend() as unknown as WasmBackendInternals;
  const heap = backend.wasm?.HEAPU8;
  const offset = t.dtype === 'float32' ? backend.dataIdMap?.get(t.dataId)?.memoryOffset : undefined;
  if (heap && typeof offset === 'number') into.set(new Float32Array(heap.buffer, offset, t.size));
  else into.set(t.dataSync());
}

/**
 * The values of a float32 tensor without copying them where the backend allows: on the wasm
 * backend a view of the tensor's memory, valid only until the next tensor operation (which may
 * grow that memory or reuse it); anywhere else a copy, as readFloat32. For a reader that copies the
 * values at once (sori's native loop copies them into its own memory): one copy instead of two, and
 * no allocation.
 */
export function viewFloat32(t: tf.Tensor): Float32Array {
  const backend = tf.backend() as unknown as WasmBackendInternals;
  const heap = backend.wasm?.HEAPU8;
  const offset = t.dtype === 'float32' ? backend.dataIdMap?.get(t.dataId)?.memoryOffset : undefined;
  if (heap && typeof offset === 'number') return new Float32Array(heap.buffer, offset, t.size);
  return readFloat32(t);
}
