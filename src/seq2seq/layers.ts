/**
 * The two plain layers the encoder and decoder are built from, as trainable variables with
 * PyTorch's initialisation and names:
 *
 *   embedding:  e = E[y]               E [V, E]     ~ N(0, 1)             (nn.Embedding)
 *   linear:     z = x Wᵀ + b           W [O, I]     ~ U(−1/√I, 1/√I)      (nn.Linear)
 */
import * as tf from '@tensorflow/tfjs';
import { linearProduct } from '../rnn/linear.ts';
import { readFloat32 } from '../rnn/fused/read.ts';

/** A seeded source of initial values: the k-th call gets seed + k (reproducible), or random. */
export function seedSequence(seed: number | undefined): () => number | undefined {
  let k = 0;
  return () => (seed === undefined ? undefined : seed + 1000 * k++);
}

/**
 * E [V, E] ~ N(0, 1). (Variables get unique engine names; the stable names are the keys of each
 * model's namedWeights().)
 */
export function embeddingVariable(V: number, E: number, seed: number | undefined): tf.Variable<tf.Rank.R2> {
  return tf.variable(tf.randomNormal([V, E], 0, 1, 'float32', seed), true) as tf.Variable<tf.Rank.R2>;
}

/**
 * e = E[y]: rows of `table` [V, E] for int ids of any shape [...] → [..., E].
 * The gradient is scattered back to the rows, dE[v] = Σ_{i: y_i = v} de_i. Both directions copy
 * rows in JavaScript: tfjs's wasm backend lacks the kernel tf.gather's gradient needs, and its
 * GatherV2 took ~4.5 ms for 640 rows of 64 (bench/seq2seq.ts).
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
    const rows = readFloat32(t); // [V, E]
    const e = new Float32Array(y.length * E); // [N, E]
    for (let i = 0; i < y.length; i++) e.set(rows.subarray(y[i] * E, (y[i] + 1) * E), i * E);
    return {
      value: tf.tensor(e, [...ids.shape, E]), // [..., E]
      gradFunc: (de: tf.Tensor | tf.Tensor[]) => {
        const d = readFloat32(de as tf.Tensor); // [N, E]
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

export interface Linear {
  /** W [O, I] */
  weight: tf.Variable<tf.Rank.R2>;
  /** b [O], absent for a linear map without bias */
  bias?: tf.Variable<tf.Rank.R1>;
}

/** A linear layer I → O with W, b ~ U(−1/√I, 1/√I) (named `${name}.weight`, `${name}.bias` by linearWeights). */
export function linearLayer(
  I: number,
  O: number,
  { bias = true, seed }: { bias?: boolean; seed?: number },
): Linear {
  const k = 1 / Math.sqrt(I);
  const weight = tf.variable(tf.randomUniform([O, I], -k, k, 'float32', seed), true) as tf.Variable<tf.Rank.R2>;
  if (!bias) return { weight };
  const b = tf.variable(
    tf.randomUniform([O], -k, k, 'float32', seed === undefined ? undefined : seed + 1),
    true,
  ) as tf.Variable<tf.Rank.R1>;
  return { weight, bias: b };
}

/** z = x Wᵀ + b over the last axis: x [..., I] → [..., O]. */
export function applyLinear(layer: Linear, x: tf.Tensor): tf.Tensor {
  const I = layer.weight.shape[1];
  const O = layer.weight.shape[0];
  const lead = x.shape.slice(0, -1);
  const flat = tf.reshape(x, [-1, I]) as tf.Tensor2D; // [N, I]
  let z: tf.Tensor = linearProduct(flat, layer.weight); // x Wᵀ [N, O]
  if (layer.bias) z = tf.add(z, layer.bias);
  return tf.reshape(z, [...lead, O]); // [..., O]
}

/** The variables of a linear layer, by their names under `name`. */
export function linearWeights(layer: Linear, name: string): Record<string, tf.Variable> {
  const out: Record<string, tf.Variable> = { [`${name}.weight`]: layer.weight };
  if (layer.bias) out[`${name}.bias`] = layer.bias;
  return out;
}

/**
 * tf.tidy for functions that return an object of tensors (states, memories): the tensors in the
 * result survive, every other intermediate is freed.
 */
export function tidy<T>(fn: () => T): T {
  return tf.tidy(fn as unknown as () => tf.TensorContainer) as unknown as T;
}
