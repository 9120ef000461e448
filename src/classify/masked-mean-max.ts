/**
 * Masked mean and max over time as one op with a hand-written gradient: the 'mean', 'max' and
 * 'mean+max' poolings (pooling.ts). With m_{b,t} ∈ {0, 1} (1 at real steps) and n_b = Σ_t m_{b,t},
 *
 *   mean_{b,f} = Σ_t m_{b,t} y_{b,t,f} / max(n_b, 1)
 *   max_{b,f}  = max_{t: m_{b,t} = 1} y_{b,t,f}          (0 when n_b = 0)
 *
 * and back, with t*_{b,f} the first real step holding the maximum (as PyTorch's max over a
 * dimension routes the gradient to one index),
 *
 *   ∂L/∂y_{b,t,f} = m_{b,t} ∂L/∂mean_{b,f} / max(n_b, 1) + [t = t*_{b,f}] ∂L/∂max_{b,f}
 *
 * Written as tfjs ops, the masking (broadcast, where, fill), the reductions over the middle axis
 * (transposes) and max's gradient (equal + broadcast) cost more than the recurrent layer they
 * pool: one pass over y [B, T, F] in JavaScript does the forward, one the backward. Sums
 * accumulate in float64.
 */
import * as tf from '@tensorflow/tfjs';
import { readFloat32, viewFloat32 } from '../backend/read.ts';
import { tensorFromView } from '../backend/tensor-from-view.ts';

/** ∂L/∂y's buffer, reused from call to call (tensorFromView copies it into the tensor at once). */
let scratch = new Float32Array(0);

/**
 * y [B, T, F], mask [B, T] (1 at real steps, 0 at padding) → [mean ; max] [B, 2F].
 * The mask gets no gradient (zeros).
 */
export function maskedMeanMax(y: tf.Tensor3D, mask: tf.Tensor2D): tf.Tensor2D {
  const [B, T, F] = y.shape;
  if (mask.shape[0] !== B || mask.shape[1] !== T) throw new Error(`mask: expected [B, T] = [${B}, ${T}] as y, got [${mask.shape.join(', ')}]`);
  const op = tf.customGrad(((yIn: tf.Tensor, maskIn: tf.Tensor) => {
    const m = Float32Array.from(maskIn.dataSync()); // [B·T] (kept for the backward pass)
    const values = viewFloat32(yIn); // [B·T·F], read before the next tensor op
    const out = new Float32Array(B * 2 * F); // [B, 2F]
    const argmax = new Int32Array(B * F).fill(-1); // [B, F]: t* (−1: no real step)
    const counts = new Float64Array(B); // n_b
    const sum = new Float64Array(F);
    for (let b = 0; b < B; b++) {
      sum.fill(0);
      const meanAt = b * 2 * F; // out[b, 0:F]
      const maxAt = meanAt + F; // out[b, F:2F]
      let n = 0;
      for (let t = 0; t < T; t++) {
        if (!(m[b * T + t] > 0)) continue;
        const yAt = (b * T + t) * F; // y[b, t, :]
        for (let f = 0; f < F; f++) {
          const v = values[yAt + f];
          sum[f] += v;
          if (n === 0 || v > out[maxAt + f]) {
            out[maxAt + f] = v;
            argmax[b * F + f] = t;
          }
        }
        n++;
      }
      counts[b] = n;
      for (let f = 0; f < F; f++) out[meanAt + f] = sum[f] / Math.max(n, 1); // the max half stays 0 when n = 0
    }
    const value = tf.tensor2d(out, [B, 2 * F]);
    const gradFunc = (dy: tf.Tensor) => {
      const g = readFloat32(dy); // [B, 2F]
      if (scratch.length < B * T * F) scratch = new Float32Array(B * T * F);
      const dx = scratch.subarray(0, B * T * F).fill(0); // [B, T, F]
      for (let b = 0; b < B; b++) {
        const scale = 1 / Math.max(counts[b], 1);
        for (let t = 0; t < T; t++) {
          if (!(m[b * T + t] > 0)) continue;
          const base = (b * T + t) * F;
          for (let f = 0; f < F; f++) dx[base + f] = g[b * 2 * F + f] * scale;
        }
        for (let f = 0; f < F; f++) {
          const t = argmax[b * F + f];
          if (t >= 0) dx[(b * T + t) * F + f] += g[b * 2 * F + F + f];
        }
      }
      return [tensorFromView<tf.Tensor3D>(dx, [B, T, F]), tf.zerosLike(maskIn)];
    };
    return { value, gradFunc };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(y, mask) as tf.Tensor2D;
}
