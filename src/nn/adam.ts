/**
 * Adam (Kingma & Ba, 2015), the same optimizer as tf.train.adam — the same update in the same
 * float32 operations, the same slots for checkpoints (getWeights / setWeights), the same
 * learningRate field — with each weight's update one call of the native kernels (src/native/adam.h)
 * instead of a dozen tfjs ops per weight:
 *
 *   m ← β₁ m + (1 − β₁) g,   v ← β₂ v + (1 − β₂) g²
 *   w ← w − η (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)
 *
 * The moments stay in the module's memory between steps; they are copied to the optimizer's
 * variables when getWeights asks for them (a checkpoint), and read back after setWeights.
 * Without the native kernels (SORI_NATIVE=0, a browser without SIMD) it is tf.train.adam.
 */
import * as tf from '@tensorflow/tfjs';
import { nativeKernels, type NativeKernels } from '../native/kernels.ts';
import { copyFloat32 } from '../backend/read.ts';
import { tensorFromView } from '../backend/tensor-from-view.ts';

/** A weight or slot by name, as tfjs optimizers take and give them. */
type NamedTensor = { name: string; tensor: tf.Tensor };

/** What tf.AdamOptimizer keeps in private fields (the same at runtime in tfjs 4). */
interface AdamSlots {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
  accumulatedSecondMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
}

/** tf.AdamOptimizer with applyGradients on the native kernels. */
class NativeAdam extends tf.AdamOptimizer {
  /** Slot i's moments in the module: m [n] then v [n] (absent: read them from the variables). */
  private blocks: (number | undefined)[] = [];
  /** The module's moments are newer than the variables. */
  private dirty = false;

  constructor(
    private readonly k: NativeKernels,
    learningRate: number,
    beta1: number,
    beta2: number,
    epsilon?: number,
  ) {
    super(learningRate, beta1, beta2, epsilon);
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const k = this.k;
    const slots = this as unknown as AdamSlots;
    const named = Array.isArray(variableGradients) ? variableGradients : Object.entries(variableGradients).map(([name, tensor]) => ({ name, tensor }));
    const f = Math.fround;
    const accBeta1 = slots.accBeta1.dataSync()[0];
    const accBeta2 = slots.accBeta2.dataSync()[0];
    const d1 = f(1 - accBeta1); // sub(1, accBeta1) in float32
    const d2 = f(1 - accBeta2);
    named.forEach(({ name, tensor: gradient }, i) => {
      const value = tf.engine().registeredVariables[name];
      for (const [list, suffix] of [[slots.accumulatedFirstMoment, 'm'], [slots.accumulatedSecondMoment, 'v']] as const) {
        if (list[i] == null) list[i] = { originalName: `${name}/${suffix}`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
      }
      if (gradient == null) return;
      const n = value.size;
      if (this.blocks[i] === undefined) {
        const block = k.heap.alloc(8 * n);
        copyFloat32(slots.accumulatedFirstMoment[i]!.variable, k.f32(block, n));
        copyFloat32(slots.accumulatedSecondMoment[i]!.variable, k.f32(block + 4 * n, n));
        this.blocks[i] = block;
      }
      const block = this.blocks[i]!;
      const p = k.heap.layout({ w: n, g: n });
      try {
        copyFloat32(value, k.f32(p.w, n));
        copyFloat32(gradient, k.f32(p.g, n));
        k.adam_update(n, p.w, block, block + 4 * n, p.g, f(this.beta1), f(1 - this.beta1), f(this.beta2), f(1 - this.beta2), d1, d2, f(this.epsilon), f(-this.learningRate));
        value.assign(tensorFromView(k.f32(p.w, n), value.shape));
      } finally {
        k.heap.release(p.block);
      }
    });
    this.dirty = true;
    tf.tidy(() => {
      slots.accBeta1.assign(tf.mul(slots.accBeta1, this.beta1));
      slots.accBeta2.assign(tf.mul(slots.accBeta2, this.beta2));
    });
    this.incrementIterations();
  }

  /** The moments back in the optimizer's variables. */
  private sync(): void {
    if (!this.dirty) return;
    const slots = this as unknown as AdamSlots;
    this.blocks.forEach((block, i) => {
      if (block === undefined) return;
      for (const [list, at] of [[slots.accumulatedFirstMoment, 0], [slots.accumulatedSecondMoment, 1]] as const) {
        const variable = list[i]!.variable;
        variable.assign(tensorFromView(this.k.f32(block + 4 * at * variable.size, variable.size), variable.shape));
      }
    });
    this.dirty = false;
  }

  /** Drop the module's copies (after they were replaced or freed). */
  private release(): void {
    for (const block of this.blocks) if (block !== undefined) this.k.heap.release(block);
    this.blocks = [];
    this.dirty = false;
  }

  override async getWeights(): Promise<NamedTensor[]> {
    this.sync();
    return super.getWeights();
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    this.release();
    await super.setWeights(weightValues);
  }

  override dispose(): void {
    this.release();
    super.dispose();
  }
}

/**
 * Adam with tf.train.adam's arguments and defaults (β₁ 0.9, β₂ 0.999, ε the backend's: 1e-7):
 * on the native kernels where they run, else tf.train.adam itself.
 */
export function adam(learningRate: number, beta1 = 0.9, beta2 = 0.999, epsilon?: number): tf.AdamOptimizer {
  const k = nativeKernels();
  return k ? new NativeAdam(k, learningRate, beta1, beta2, epsilon) : tf.train.adam(learningRate, beta1, beta2, epsilon);
}
