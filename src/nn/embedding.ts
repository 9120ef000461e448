/**
 * The embedding layer, as a trainable table with PyTorch's initialisation (nn.Embedding):
 *
 *   e = E[y]               E [V, E]     ~ N(0, 1)
 */
import * as tf from '@tensorflow/tfjs';
import { viewFloat32 } from '../backend/read.ts';
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
 * The gradient is scattered back to the rows, dE[v] = Σ_{i: y_i = v} de_i. Both directions copy
 * rows in JavaScript: tfjs's wasm backend lacks the kernel tf.gather's gradient needs, and its
 * GatherV2 is slow for small tables (`npm run bench -- seq2seq` measures the model that uses it).
 */
export function embeddingLookup(table: tf.Tensor2D, ids: tf.Tensor): tf.Tensor {
  const [V, E] = table.shape;
  const y = ids.dataSync(); // [N]
  for (let i = 0; i < y.length; i++) {
    if (!(Number.isInteger(y[i]) && y[i] >= 0 && y[i] < V)) {
      throw new Error(`embeddingLookup: ids must be in [0, ${V}), got ${y[i]} at flat index ${i}`);
    }
  }
  const lookup = tf.customGrad(((t: tf.Tensor) => {
    const rows = viewFloat32(t); // [V, E], read before any tensor is made
    const e = new Float32Array(y.length * E); // [N, E]
    for (let i = 0; i < y.length; i++) e.set(rows.subarray(y[i] * E, (y[i] + 1) * E), i * E);
    return {
      value: tf.tensor(e, [...ids.shape, E]), // [..., E]
      gradFunc: (de: tf.Tensor | tf.Tensor[]) => {
        const d = viewFloat32(de as tf.Tensor); // [N, E], read before any tensor is made
        const dE = new Float32Array(V * E); // [V, E]
        for (let i = 0; i < y.length; i++) {
          const row = y[i] * E;
          for (let j = 0; j < E; j++) dE[row + j] += d[i * E + j];
        }
        return [tf.tensor2d(dE, [V, E])];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return lookup(table);
}
