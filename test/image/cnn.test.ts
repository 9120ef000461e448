import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { cnnFeatures, conv2d, createCnn, gridShape, layerNorm, spaceToDepth, type ConvLayer } from '../../src/image/cnn.ts';

/** A conv layer with fixed weights W [k, k, C, O] and bias b [O]. */
function fixedLayer(w: number[], shape: [number, number, number, number], b: number[]): ConvLayer {
  return { weight: tf.variable(tf.tensor4d(w, shape)), bias: tf.variable(tf.tensor1d(b)) };
}

describe('conv2d', () => {
  it('matches a 3×3 case computed by hand (zero padding, one channel)', () => {
    // x = [[1 2 3] [4 5 6] [7 8 9]], W = [[0 1 0] [1 −1 1] [0 1 0]] (a cross with −1 centre), b = 0.5.
    // y[i, j] = up + left + right + down − centre + 0.5, zeros outside:
    //   y[0,0] = 0 + 0 + 2 + 4 − 1 + .5 = 5.5     y[0,1] = 0 + 1 + 3 + 5 − 2 + .5 = 7.5    y[0,2] = 0 + 2 + 0 + 6 − 3 + .5 = 5.5
    //   y[1,0] = 1 + 0 + 5 + 7 − 4 + .5 = 9.5     y[1,1] = 2 + 4 + 6 + 8 − 5 + .5 = 15.5   y[1,2] = 3 + 5 + 0 + 9 − 6 + .5 = 11.5
    //   y[2,0] = 4 + 0 + 8 + 0 − 7 + .5 = 5.5     y[2,1] = 5 + 7 + 9 + 0 − 8 + .5 = 13.5   y[2,2] = 6 + 8 + 0 + 0 − 9 + .5 = 5.5
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    const layer = fixedLayer([0, 1, 0, 1, -1, 1, 0, 1, 0], [3, 3, 1, 1], [0.5]);
    const y = conv2d(x, layer);
    expect(y.shape).toEqual([1, 3, 3, 1]);
    expect(Array.from(y.dataSync())).toEqual([5.5, 7.5, 5.5, 9.5, 15.5, 11.5, 5.5, 13.5, 5.5]);
  });

  it('sums over input channels and keeps output channels apart (by hand)', () => {
    // 1×1 kernel: y[o] = Σ_c x[c] W[c, o] + b[o]; x = (1, 2), W = [[1, 10], [100, 1000]], b = (0, 1)
    const x = tf.tensor4d([1, 2], [1, 1, 1, 2]);
    const y = conv2d(x, fixedLayer([1, 10, 100, 1000], [1, 1, 2, 2], [0, 1]));
    expect(Array.from(y.dataSync())).toEqual([201, 2011]);
  });

  it('has the gradients of the convolution: ∂/∂W and ∂/∂x of Σ y ⊙ r equal the sums by brute force', () => {
    // L = Σ_{i,j,o} y[i,j,o] r[i,j,o]  ⇒  ∂L/∂W[p,q,c,o] = Σ_{i,j} x̂[i+p, j+q, c] r[i,j,o],  ∂L/∂x[i,j,c] = Σ_{p,q,o} W[p,q,c,o] r[i−p+1, j−q+1, o]
    const H = 4, W_ = 5, C = 2, O = 3, k = 3;
    const xs = Array.from({ length: H * W_ * C }, (_, n) => Math.sin(n + 1));
    const ws = Array.from({ length: k * k * C * O }, (_, n) => Math.cos(n * 0.7));
    const rs = Array.from({ length: H * W_ * O }, (_, n) => ((n * 37) % 11) / 11 - 0.5);
    const x = tf.tensor4d(xs, [1, H, W_, C]);
    const layer = fixedLayer(ws, [k, k, C, O], [0, 0, 0]);
    const r = tf.tensor4d(rs, [1, H, W_, O]);
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(conv2d(x, layer), r)) as tf.Scalar, [layer.weight]);
    const dx = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(conv2d(xx as tf.Tensor4D, layer), r)))(x);
    const X = (i: number, j: number, c: number) => (i < 0 || j < 0 || i >= H || j >= W_ ? 0 : xs[(i * W_ + j) * C + c]);
    const R = (i: number, j: number, o: number) => (i < 0 || j < 0 || i >= H || j >= W_ ? 0 : rs[(i * W_ + j) * O + o]);
    const dW: number[] = [];
    for (let p = 0; p < k; p++) for (let q = 0; q < k; q++) for (let c = 0; c < C; c++) for (let o = 0; o < O; o++) {
      let s = 0;
      for (let i = 0; i < H; i++) for (let j = 0; j < W_; j++) s += X(i + p - 1, j + q - 1, c) * R(i, j, o);
      dW.push(s);
    }
    const dX: number[] = [];
    for (let i = 0; i < H; i++) for (let j = 0; j < W_; j++) for (let c = 0; c < C; c++) {
      let s = 0;
      for (let p = 0; p < k; p++) for (let q = 0; q < k; q++) for (let o = 0; o < O; o++) s += ws[((p * k + q) * C + c) * O + o] * R(i - p + 1, j - q + 1, o);
      dX.push(s);
    }
    Array.from(grads[layer.weight.name].dataSync()).forEach((v, n) => expect(v).toBeCloseTo(dW[n], 4));
    Array.from(dx.dataSync()).forEach((v, n) => expect(v).toBeCloseTo(dX[n], 4));
  });

  it('names the channel count it expected', () => {
    const layer = fixedLayer([1, 1], [1, 1, 2, 1], [0]);
    expect(() => conv2d(tf.zeros([1, 2, 2, 3]) as tf.Tensor4D, layer)).toThrow(/expected 2 channels.*got 3/);
  });
});

describe('spaceToDepth', () => {
  it('folds each 2×2 block into channels ordered (row, column, channel) (by hand)', () => {
    // x [1, 2, 4, 1] = [[1 2 3 4] [5 6 7 8]] → blocks [[1 2] [5 6]] and [[3 4] [7 8]] → [1, 1, 2, 4]
    const y = spaceToDepth(tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 4, 1]));
    expect(y.shape).toEqual([1, 1, 2, 4]);
    expect(Array.from(y.dataSync())).toEqual([1, 2, 5, 6, 3, 4, 7, 8]);
  });

  it('halves the grid side once more in the encoder', () => {
    const cnn = createCnn({ channels: [4, 6], kernelSize: 3, coordinates: true, layerNorm: true, spaceToDepth: true }, 1);
    expect(cnnFeatures(cnn, tf.zeros([2, 16, 16, 3]) as tf.Tensor4D).shape).toEqual([2, 4, 6]);
    expect(() => gridShape(cnn, 12)).toThrow(/multiple of 2\^3 = 8 \(2 pooling blocks and space-to-depth\), got 12/);
  });
});

describe('layerNorm', () => {
  it('standardises each image over [H, W, C], then scales and shifts per channel (by hand)', () => {
    // image 0: 1 2 3 4 → μ 2.5, σ² 1.25 → (−1.5, −.5, .5, 1.5) / √1.25001; image 1: all 7 → 0.
    // channels (last axis, C = 2): γ = (1, 2), β = (0, 10).
    const y = tf.tensor4d([1, 2, 3, 4, 7, 7, 7, 7], [2, 1, 2, 2]);
    const norm = { gain: tf.variable(tf.tensor1d([1, 2])), shift: tf.variable(tf.tensor1d([0, 10])) };
    const s = Math.sqrt(1.25 + 1e-5);
    const want = [-1.5 / s, 2 * (-0.5 / s) + 10, 0.5 / s, 2 * (1.5 / s) + 10, 0, 10, 0, 10];
    Array.from(layerNorm(y, norm).dataSync()).forEach((v, i) => expect(v).toBeCloseTo(want[i], 4));
  });
});

describe('cnnFeatures', () => {
  it('turns [B, S, S, 3] images into a grid [B, G, C] with G = (S / 2^N)²', () => {
    const cnn = createCnn({ channels: [4, 6], kernelSize: 3, coordinates: true, layerNorm: false, spaceToDepth: false }, 1);
    const grid = cnnFeatures(cnn, tf.zeros([2, 16, 16, 3]) as tf.Tensor4D);
    expect(grid.shape).toEqual([2, 16, 6]);
    expect(gridShape(cnn, 16)).toEqual({ side: 4, G: 16, C: 6 });
  });

  it('gives each image the same features whatever else is in the batch', () => {
    const cnn = createCnn({ channels: [4], kernelSize: 3, coordinates: true, layerNorm: false, spaceToDepth: false }, 2);
    const images = tf.randomUniform([3, 8, 8, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
    const all = cnnFeatures(cnn, images).arraySync();
    const one = cnnFeatures(cnn, tf.slice(images, [1, 0, 0, 0], [1, 8, 8, 3])).arraySync();
    one[0].forEach((row, g) => row.forEach((v, c) => expect(all[1][g][c]).toBeCloseTo(v, 5)));
  });

  it('rejects an image side that does not halve N times, naming it', () => {
    const cnn = createCnn({ channels: [4, 4, 4], kernelSize: 3, coordinates: false, layerNorm: false, spaceToDepth: false }, 1);
    expect(() => cnnFeatures(cnn, tf.zeros([1, 12, 12, 3]) as tf.Tensor4D)).toThrow(/multiple of 2\^3 = 8.*got 12/);
    expect(() => cnnFeatures(cnn, tf.zeros([1, 8, 8, 1]) as tf.Tensor4D)).toThrow(/3 channels.*got 1/);
  });

  it('rejects an even kernel and unknown config keys', () => {
    expect(() => createCnn({ channels: [4], kernelSize: 2, coordinates: false, layerNorm: false, spaceToDepth: false })).toThrow(/odd.*got 2/);
    expect(() => createCnn({ channels: [4], kernelSize: 3, coordinates: false, layerNorm: false, spaceToDepth: false, pool: 2 } as never)).toThrow(/pool/);
  });
});
