/**
 * x Wᵀ for a weight W [O, I] stored as PyTorch stores it (out × in): x [N, I] → [N, O].
 *
 *   forward:   z = x Wᵀ
 *   backward:  ∂L/∂x = ∂L/∂z W,   ∂L/∂W = (∂L/∂z)ᵀ x
 *
 * tf.matMul(x, W, false, true) computes the same, but tfjs's wasm backend runs a product with a
 * transpose flag 10–15× slower than a plain one (bench/seq2seq.ts, tfjs 4.22), and matMul's own
 * gradient always uses such flags. Here every product is plain, the operands transposed
 * explicitly, in both directions (attached with tf.customGrad).
 */
import * as tf from '@tensorflow/tfjs';

const product = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, weight] = args as tf.Tensor2D[];
  const save = args[2] as tf.GradSaveFunc;
  save([x, weight]);
  return {
    value: tf.matMul(x, tf.transpose(weight)), // [N, O]
    gradFunc: (dz: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sWeight] = saved as tf.Tensor2D[];
      return [
        tf.matMul(dz as tf.Tensor2D, sWeight), // ∂L/∂x [N, I]
        tf.matMul(tf.transpose(dz as tf.Tensor2D), sx), // ∂L/∂W [O, I]
      ];
    },
  };
}) as (x: tf.Tensor2D, weight: tf.Tensor2D) => tf.Tensor2D;

/** x [N, I] · weightᵀ, weight [O, I] → [N, O]; differentiable in both. */
export function linearProduct(x: tf.Tensor2D, weight: tf.Tensor2D): tf.Tensor2D {
  if (x.rank !== 2 || weight.rank !== 2 || x.shape[1] !== weight.shape[1]) {
    throw new Error(`linearProduct: x [N, I] and weight [O, I] must agree on I, got x [${x.shape}] and weight [${weight.shape}]`);
  }
  return product(x, weight);
}
