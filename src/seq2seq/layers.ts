/**
 * The two plain layers the encoder and decoder are built from, as trainable variables with
 * PyTorch's initialisation and names:
 *
 *   embedding:  e = E[y]               E [V, E]     ~ N(0, 1)             (nn.Embedding)
 *   linear:     z = x Wᵀ + b           W [O, I]     ~ U(−1/√I, 1/√I)      (nn.Linear)
 */
import * as tf from '@tensorflow/tfjs';

/** A seeded source of initial values: the k-th call gets seed + k (reproducible), or random. */
export function seedSequence(seed: number | undefined): () => number | undefined {
  let k = 0;
  return () => (seed === undefined ? undefined : seed + 1000 * k++);
}

/** E [V, E] ~ N(0, 1), named `name`. */
export function embeddingVariable(V: number, E: number, name: string, seed: number | undefined): tf.Variable<tf.Rank.R2> {
  return tf.variable(tf.randomNormal([V, E], 0, 1, 'float32', seed), true, name) as tf.Variable<tf.Rank.R2>;
}

export interface Linear {
  /** W [O, I] */
  weight: tf.Variable<tf.Rank.R2>;
  /** b [O], absent for a linear map without bias */
  bias?: tf.Variable<tf.Rank.R1>;
}

/** A linear layer I → O with W, b ~ U(−1/√I, 1/√I); variables named `${name}.weight`, `${name}.bias`. */
export function linearLayer(
  I: number,
  O: number,
  name: string,
  { bias = true, seed }: { bias?: boolean; seed?: number },
): Linear {
  const k = 1 / Math.sqrt(I);
  const weight = tf.variable(tf.randomUniform([O, I], -k, k, 'float32', seed), true, `${name}.weight`) as tf.Variable<tf.Rank.R2>;
  if (!bias) return { weight };
  const b = tf.variable(
    tf.randomUniform([O], -k, k, 'float32', seed === undefined ? undefined : seed + 1),
    true,
    `${name}.bias`,
  ) as tf.Variable<tf.Rank.R1>;
  return { weight, bias: b };
}

/** z = x Wᵀ + b over the last axis: x [..., I] → [..., O]. */
export function applyLinear(layer: Linear, x: tf.Tensor): tf.Tensor {
  const I = layer.weight.shape[1];
  const O = layer.weight.shape[0];
  const lead = x.shape.slice(0, -1);
  const flat = tf.reshape(x, [-1, I]) as tf.Tensor2D; // [N, I]
  let z: tf.Tensor = tf.matMul(flat, layer.weight, false, true); // [N, O]
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
