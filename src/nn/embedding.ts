/**
 * The embedding layer, as a trainable table with PyTorch's initialisation (nn.Embedding):
 *
 *   e = E[y]               E [V, E]     ~ N(0, 1)
 */
import * as tf from '@tensorflow/tfjs';
import { copyFloat32, readFloat32 } from '../backend/read.ts';
import { tensorFromView } from '../backend/tensor-from-view.ts';
import { nativeKernels, type NativeKernels } from '../native/kernels.ts';
import { normalInit } from './init.ts';

/**
 * E [V, E] ~ N(0, 1). (Variables get unique engine names; the stable names are the keys of each
 * model's namedWeights().)
 */
export function embeddingVariable(V: number, E: number, seed: number | undefined): tf.Variable<tf.Rank.R2> {
  return tf.tidy(() => tf.variable(normalInit([V, E], 1, seed), true)) as tf.Variable<tf.Rank.R2>; // tidy frees the initial tensor
}

/**
 * e = E[y]: rows of `table` [V, E] for int ids of any shape [...] → [..., E].
 * The gradient is scattered back to the rows, dE[v] = Σ_{i: y_i = v} de_i (in the order of i).
 * Both directions copy rows themselves, on sori's native kernels where they run (gather_rows,
 * scatter_add_rows), else in JavaScript: tfjs's wasm backend lacks the kernel tf.gather's gradient
 * needs, and its GatherV2 is slow for small tables (`npm run bench -- seq2seq` measures the model
 * that uses it).
 */
export function embeddingLookup(table: tf.Tensor2D, ids: tf.Tensor): tf.Tensor {
  const [V, E] = table.shape;
  const y = ids.dataSync(); // [N]
  for (let i = 0; i < y.length; i++) {
    if (!(Number.isInteger(y[i]) && y[i] >= 0 && y[i] < V)) {
      throw new Error(`embeddingLookup: ids must be in [0, ${V}), got ${y[i]} at flat index ${i}`);
    }
  }
  const k = nativeKernels();
  const lookup = tf.customGrad(((t: tf.Tensor) => ({
    value: k ? nativeGather(k, t, y, E, ids.shape) : jsGather(t, y, E, ids.shape), // [..., E]
    gradFunc: (de: tf.Tensor | tf.Tensor[]) => [k ? nativeScatter(k, de as tf.Tensor, y, V, E) : jsScatter(de as tf.Tensor, y, V, E)], // [V, E]
  })) as unknown as Parameters<typeof tf.customGrad>[0]);
  return lookup(table);
}

type Ids = ArrayLike<number>;

/** Rows y_i of table [V, E] → [...shape, E], in JavaScript. */
function jsGather(table: tf.Tensor, y: Ids, E: number, shape: number[]): tf.Tensor {
  const rows = readFloat32(table); // [V, E]
  const e = new Float32Array(y.length * E); // [N, E]
  for (let i = 0; i < y.length; i++) e.set(rows.subarray(y[i] * E, (y[i] + 1) * E), i * E);
  return tf.tensor(e, [...shape, E]);
}

/** dE [V, E] with dE[y_i] += de_i, in JavaScript. */
function jsScatter(de: tf.Tensor, y: Ids, V: number, E: number): tf.Tensor2D {
  const d = readFloat32(de); // [N, E]
  const dE = new Float32Array(V * E);
  for (let i = 0; i < y.length; i++) {
    const row = y[i] * E;
    for (let j = 0; j < E; j++) dE[row + j] += d[i * E + j];
  }
  return tf.tensor2d(dE, [V, E]);
}

/** jsGather on the native kernels. */
function nativeGather(k: NativeKernels, table: tf.Tensor, y: Ids, E: number, shape: number[]): tf.Tensor {
  const N = y.length;
  const m = k.heap.layout({ table: table.size, ids: N, out: N * E });
  try {
    copyFloat32(table, k.f32(m.table, table.size));
    k.i32(m.ids, N).set(y);
    k.gather_rows(N, E, m.table, m.ids, m.out);
    return tensorFromView(k.f32(m.out, N * E), [...shape, E]);
  } finally {
    k.heap.release(m.block);
  }
}

/** jsScatter on the native kernels (the same sums in the same order). */
function nativeScatter(k: NativeKernels, de: tf.Tensor, y: Ids, V: number, E: number): tf.Tensor2D {
  const N = y.length;
  const m = k.heap.layout({ d: N * E, ids: N, dE: V * E });
  try {
    copyFloat32(de, k.f32(m.d, N * E));
    k.i32(m.ids, N).set(y);
    k.f32(m.dE, V * E).fill(0);
    k.scatter_add_rows(N, E, m.d, m.ids, m.dE);
    return tensorFromView(k.f32(m.dE, V * E), [V, E]) as tf.Tensor2D;
  } finally {
    k.heap.release(m.block);
  }
}
