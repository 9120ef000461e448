/**
 * tf.customGrad with several outputs. tf.customGrad allows one output tensor, so an op with
 * several (a recurrent layer's outputs and its final states) had to return one tensor and tf.split
 * it — and on the wasm backend a slice along axis 0 copies the whole input twice: splitting an
 * LSTM layer's [(T + 2)·B, H] (B 32, T 100, H 128: 1.7 MB) took 2–4 ms, and its gradient (a
 * concat with zeros) as much again, more than the layer's input projection. This runs the same
 * engine call tf.customGrad makes (tfjs-core's Engine.runKernelFunc, not in its typings) with an
 * array of outputs: the gradient function receives one ∂L/∂output per output (zeros, made by the
 * engine, for an output the loss does not reach).
 */
import * as tf from '@tensorflow/tfjs';

/**
 * The op's forward: outputs, and the gradient function of their ∂L/∂ (one per output) → ∂L/∂ of
 * every input, each a tensor or a function making it. tfjs calls those functions only for the
 * inputs a gradient flows to, in the order of the inputs, right after the gradient function.
 */
export type MultiOutputOp = (...inputs: tf.Tensor[]) => {
  outputs: tf.Tensor[];
  gradFunc: (dys: tf.Tensor[]) => (tf.Tensor | (() => tf.Tensor))[];
};

interface KernelEngine {
  runKernelFunc(params: {
    forwardFunc: () => tf.Tensor[];
    backwardsFunc: (dy: tf.Tensor | tf.Tensor[]) => Record<number, () => tf.Tensor>;
    inputs: Record<number, tf.Tensor>;
  }): tf.Tensor | tf.Tensor[];
}

/**
 * Run `op` on `inputs` as one differentiable op with several outputs (like tf.customGrad(op)(…)).
 * Intermediate tensors made by the forward function are disposed, as in tf.customGrad.
 */
export function multiOutputGrad(op: MultiOutputOp, inputs: tf.Tensor[]): tf.Tensor[] {
  const engine = tf.engine() as unknown as KernelEngine;
  if (typeof engine.runKernelFunc !== 'function') throw new Error('multiOutputGrad: this tfjs-core has no Engine.runKernelFunc');
  let gradFunc: ReturnType<MultiOutputOp>['gradFunc'] | null = null;
  let count = 0;
  const outputs = engine.runKernelFunc({
    forwardFunc: () => {
      const run = op(...inputs);
      gradFunc = run.gradFunc;
      count = run.outputs.length;
      return run.outputs;
    },
    backwardsFunc: (dy) => {
      const grads = gradFunc!(Array.isArray(dy) && count > 1 ? dy : [dy as tf.Tensor]);
      if (grads.length !== inputs.length) {
        throw new Error(`multiOutputGrad: the gradient function returned ${grads.length} tensors for ${inputs.length} inputs`);
      }
      return Object.fromEntries(grads.map((g, i) => [i, typeof g === 'function' ? g : () => g]));
    },
    inputs: Object.fromEntries(inputs.map((t, i) => [i, t])),
  });
  return Array.isArray(outputs) ? outputs : [outputs];
}
