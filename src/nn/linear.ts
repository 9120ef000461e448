/**
 * The linear (fully connected, projection) layer, with PyTorch's initialisation and names
 * (nn.Linear): a weight W [O, I] stored out × in, and a bias b [O],
 *
 *   z = x Wᵀ + b          W, b ~ U(−1/√I, 1/√I)
 *
 * and the product it runs on, x Wᵀ with both directions as plain products:
 *
 *   forward:   z = x Wᵀ
 *   backward:  ∂L/∂x = ∂L/∂z W,   ∂L/∂W = (∂L/∂z)ᵀ x
 *
 * tf.matMul(x, W, false, true) computes the same, but tfjs's wasm backend runs a product with a
 * transpose flag much slower than a plain one, and matMul's own gradient always uses such flags.
 * Here every product is plain, the operands transposed explicitly (attached with tf.customGrad),
 * and where sori's native kernels run, the three products are theirs (gemm_packed: about 1.5×
 * tfjs's wasm matMul on the seq2seq bench's [640, 256] · [256, 256]).
 */
import * as tf from '@tensorflow/tfjs';
import { uniformInit } from './init.ts';

/** [B, T] float mask: 1 where t < lengths[b], else 0. */
function lengthMask(lengths: readonly number[], T: number): tf.Tensor2D {
  const flat = new Float32Array(lengths.length * T);
  lengths.forEach((len, b) => flat.fill(1, b * T, b * T + Math.min(len, T)));
  return tf.tensor2d(flat, [lengths.length, T]); // [B, T]
}
import { nativeKernels, type NativeKernels } from '../native/kernels.ts';
import { copyFloat32 } from '../backend/read.ts';
import { tensorFromView } from '../backend/tensor-from-view.ts';

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

/**
 * C [M, N] = A [M, K] · B [K, N] on the native kernels, from tensors; `transposeA`: A given as
 * [K, M], `transposeB`: B given as [N, K].
 */
function nativeMatMul(k: NativeKernels, a: tf.Tensor2D, b: tf.Tensor2D, transposeA: boolean, transposeB: boolean): tf.Tensor2D {
  const [M, K] = transposeA ? [a.shape[1], a.shape[0]] : a.shape;
  const N = transposeB ? b.shape[0] : b.shape[1];
  const m = k.heap.layout({ a: M * K, b: K * N, t: transposeA || transposeB ? Math.max(M * K, K * N) : 0, c: M * N, pack: k.packed_size(K, N) });
  try {
    copyFloat32(a, k.f32(m.a, M * K));
    copyFloat32(b, k.f32(m.b, K * N));
    let [A, B] = [m.a, m.b];
    if (transposeA) k.transpose(K, M, m.a, (A = m.t));
    if (transposeB) k.transpose(N, K, m.b, (B = m.t)); // (never both)
    k.gemm(M, N, K, A, B, 0, m.c, 0, m.pack);
    return tensorFromView(k.f32(m.c, M * N), [M, N]) as tf.Tensor2D;
  } finally {
    k.heap.release(m.block);
  }
}

/** The product of the native kernels: z = x Wᵀ, ∂L/∂x = ∂L/∂z W, ∂L/∂W = (∂L/∂z)ᵀ x. */
const nativeProduct = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, weight] = args as tf.Tensor2D[];
  const save = args[2] as tf.GradSaveFunc;
  const k = nativeKernels()!;
  save([x, weight]);
  return {
    value: nativeMatMul(k, x, weight, false, true), // [N, O]
    gradFunc: (dz: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sWeight] = saved as tf.Tensor2D[];
      return [nativeMatMul(k, dz as tf.Tensor2D, sWeight, false, false), nativeMatMul(k, dz as tf.Tensor2D, sx, true, false)]; // [N, I], [O, I]
    },
  };
}) as (x: tf.Tensor2D, weight: tf.Tensor2D) => tf.Tensor2D;

/** x [N, I] · weightᵀ, weight [O, I] → [N, O]; differentiable in both. */
export function linearProduct(x: tf.Tensor2D, weight: tf.Tensor2D): tf.Tensor2D {
  if (x.rank !== 2 || weight.rank !== 2 || x.shape[1] !== weight.shape[1]) {
    throw new Error(`linearProduct: x [N, I] and weight [O, I] must agree on I, got x [${x.shape}] and weight [${weight.shape}]`);
  }
  return nativeKernels() && x.dtype === 'float32' && weight.dtype === 'float32' ? nativeProduct(x, weight) : product(x, weight);
}

export interface Linear {
  /** W [O, I] */
  weight: tf.Variable<tf.Rank.R2>;
  /** b [O], absent for a linear map without bias */
  bias?: tf.Variable<tf.Rank.R1>;
}

/**
 * A linear layer I → O with W, b ~ U(−1/√I, 1/√I) (named `${name}.weight`, `${name}.bias` by
 * linearWeights). `seed` seeds W; `biasSeed` (default seed + 1) seeds b; without a seed, random.
 */
export function linearLayer(
  I: number,
  O: number,
  { bias = true, seed, biasSeed }: { bias?: boolean; seed?: number; biasSeed?: number } = {},
): Linear {
  const k = 1 / Math.sqrt(I);
  const weight = tf.tidy(() => tf.variable(uniformInit([O, I], k, seed), true)) as tf.Variable<tf.Rank.R2>; // tidy frees the initial tensor
  if (!bias) return { weight };
  const bSeed = biasSeed ?? (seed === undefined ? undefined : seed + 1);
  const b = tf.tidy(() => tf.variable(uniformInit([O], k, bSeed), true)) as tf.Variable<tf.Rank.R1>;
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

/**
 * z = m ⊙ (x Wᵀ) for a layer without bias: x Wᵀ on the real steps of a padded batch only, x [B, T, I]
 * with T_b real steps in row b (m_{b,t} = 1 for t < T_b, else 0) → [B, T, O], 0 at padded steps,
 * differentiable in x (∂x 0 at padded steps) and W. On the native kernels the products run over
 * the Σ T_b real rows only; elsewhere it is applyLinear times the mask.
 */
export function applyLinearSteps(layer: Linear, x: tf.Tensor3D, lengths: readonly number[]): tf.Tensor3D {
  const [B, T, I] = x.shape;
  if (layer.bias) throw new Error('applyLinearSteps: only for a layer without bias (its padded steps would not be 0)');
  if (lengths.length !== B) throw new Error(`lengths: expected ${B} entries (batch size B), got ${lengths.length}`);
  const k = nativeKernels();
  if (!k || x.dtype !== 'float32') {
    return tf.tidy(() => tf.mul(applyLinear(layer, x), tf.expandDims(lengthMask(lengths, T), 2))) as tf.Tensor3D; // [B, T, O]
  }
  const O = layer.weight.shape[0];
  const rows: number[] = []; // b·T + t of each real step
  lengths.forEach((len, b) => {
    for (let t = 0; t < Math.min(len, T); t++) rows.push(b * T + t);
  });
  const R = rows.length;
  /** Rows `rows` of a [B·T, F] tensor → module memory [R, F] at `at`. */
  const gather = (t: tf.Tensor, F: number, at: number, all: number) => {
    const full = k.f32(all, B * T * F);
    copyFloat32(t, full);
    const out = k.f32(at, R * F);
    rows.forEach((n, r) => out.set(full.subarray(n * F, (n + 1) * F), r * F));
  };
  /** [R, F] at `at` → a [B, T, F] tensor, 0 at padded steps. */
  const scatter = (at: number, F: number, all: number) => {
    const full = k.f32(all, B * T * F).fill(0);
    const from = k.f32(at, R * F);
    rows.forEach((n, r) => full.set(from.subarray(r * F, (r + 1) * F), n * F));
    return tensorFromView(full, [B, T, F]);
  };
  const op = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, weight] = args as tf.Tensor[];
    (args[2] as tf.GradSaveFunc)([input, weight]);
    const m = k.heap.layout({ all: B * T * Math.max(I, O), x: R * I, w: O * I, t: O * I, z: R * O, pack: k.packed_size(I, O) });
    try {
      gather(input, I, m.x, m.all);
      copyFloat32(weight, k.f32(m.w, O * I));
      k.transpose(O, I, m.w, m.t); // Wᵀ [I, O]
      k.gemm(R, O, I, m.x, m.t, 0, m.z, 0, m.pack); // z_r = W x_r
      return {
        value: scatter(m.z, O, m.all), // [B, T, O]
        gradFunc: (dz: tf.Tensor, saved: tf.Tensor[]) => {
          const g = k.heap.layout({ all: B * T * Math.max(I, O), x: R * I, w: O * I, dz: R * O, t: O * R, dx: R * I, dw: O * I, pack: Math.max(k.packed_size(O, I), k.packed_size(R, I)) });
          try {
            gather(saved[0], I, g.x, g.all);
            copyFloat32(saved[1], k.f32(g.w, O * I));
            gather(dz, O, g.dz, g.all);
            k.gemm(R, I, O, g.dz, g.w, 0, g.dx, 0, g.pack); // ∂x_r = ∂z_r W
            k.transpose(R, O, g.dz, g.t); // ∂Zᵀ [O, R]
            k.gemm(O, I, R, g.t, g.x, 0, g.dw, 0, g.pack); // ∂W = ∂Zᵀ X
            return [scatter(g.dx, I, g.all), tensorFromView(k.f32(g.dw, O * I), [O, I])];
          } finally {
            k.heap.release(g.block);
          }
        },
      };
    } finally {
      k.heap.release(m.block);
    }
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(x, layer.weight) as tf.Tensor3D;
}

/** The variables of a linear layer, by their names under `name`. */
export function linearWeights(layer: Linear, name: string): Record<string, tf.Variable> {
  const out: Record<string, tf.Variable> = { [`${name}.weight`]: layer.weight };
  if (layer.bias) out[`${name}.bias`] = layer.bias;
  return out;
}

/** Free the layer's variables. */
export function disposeLinear(layer: Linear): void {
  layer.weight.dispose();
  layer.bias?.dispose();
}
