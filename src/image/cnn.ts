/**
 * A small convolutional encoder: an image becomes a grid of feature vectors, the "annotation
 * vectors" a captioning decoder starts from and attends over (Xu et al., 2015).
 *
 * Shapes: B batch, S image side (pixels), C channels, G = (S / 2^N)² grid cells after N blocks
 * (S / 2^(N+1) per side with space-to-depth).
 *
 *   x̄           = 2 · (image − mean_{pixels}(image))     [B, S, S, 3]        per image and channel: the
 *                                                                            background level drops out
 *   x̄           ← spaceToDepth₂(x̄)                       [B, S/2, S/2, 12]   optional: each 2×2 block of pixels
 *                                                                            becomes 12 channels (lossless, and
 *                                                                            the convolutions run on a quarter
 *                                                                            of the positions)
 *   x₀          = [x̄ ; u ; v]                            [B, S', S', · (+2)] u, v ∈ [−1, 1]: the pixel's column
 *                                                                            and row (CoordConv, Liu et al., 2018),
 *                                                                            so features know where they are
 *   x_n         = maxpool₂(relu(LN(conv_k(x_{n−1}) + b_n)))   [B, S/2ⁿ, S/2ⁿ, C_n] block n = 1 … N
 *                 LN: layer norm over [H, W, C] of each image, γ, β per channel (Ba et al., 2016;
 *                 no batch statistics, so training and inference compute the same); optional
 *   features    = reshape(x_N)                           [B, G, C_N]         cells in row-major order
 *
 * conv_k is a k×k convolution with stride 1 and zero padding (k − 1)/2 ('same'):
 *
 *   conv(x)[b, i, j, o] = Σ_{p, q < k} Σ_c x[b, i + p − ⌊k/2⌋, j + q − ⌊k/2⌋, c] · W[p, q, c, o]
 *
 * Forward is tf.conv2d. tfjs's WebAssembly backend has no Conv2DBackpropFilter kernel, so the
 * gradient is given by hand (a custom gradient), from kernels every backend has:
 *
 *   ∂L/∂x = conv2dTranspose(∂L/∂y, W)                                      [B, H, W, C]
 *   ∂L/∂W[p, q, c, o] = Σ_{b, i, j} x̂[b, i + p, j + q, c] · ∂L/∂y[b, i, j, o]    x̂ = x zero-padded by ⌊k/2⌋
 *                     = a 'valid' conv2d of x̂ as [C, H + 2r, W + 2r, B] with ∂L/∂y as a filter [H, W, B, O]
 *
 * Weights W [k, k, C, O], b [O] ~ U(−1/√(k²C), 1/√(k²C))
 * (PyTorch's nn.Conv2d default).
 */
import * as tf from '@tensorflow/tfjs';
import { checkInt, checkKeys, checkRank } from '../check.ts';
import { seedSequence } from '../nn/init.ts';

/** One convolution: W [k, k, C, O] and b [O]. */
export interface ConvLayer {
  weight: tf.Variable<tf.Rank.R4>;
  bias: tf.Variable<tf.Rank.R1>;
}

/** Per-channel gain γ [O] and shift β [O] of a layer normalisation. */
export interface NormLayer {
  gain: tf.Variable<tf.Rank.R1>;
  shift: tf.Variable<tf.Rank.R1>;
}

/** A conv layer C → O with a k×k kernel, PyTorch's default initialisation. */
export function convLayer(C: number, O: number, k: number, seed?: number): ConvLayer {
  checkInt(k, 1, 99, 'kernelSize');
  if (k % 2 !== 1) throw new Error(`kernelSize: expected an odd size ('same' padding), got ${k}`);
  const bound = 1 / Math.sqrt(k * k * C);
  const weight = tf.variable(tf.randomUniform([k, k, C, O], -bound, bound, 'float32', seed), true) as tf.Variable<tf.Rank.R4>;
  const bias = tf.variable(tf.randomUniform([O], -bound, bound, 'float32', seed === undefined ? undefined : seed + 1), true) as tf.Variable<tf.Rank.R1>;
  return { weight, bias };
}

/** y = conv(x) with W [k, k, C, O] ('same' padding, stride 1), differentiable on every backend. */
const convSame = tf.customGrad(((x: tf.Tensor4D, w: tf.Tensor4D, save: tf.GradSaveFunc) => {
  save([x, w]);
  return {
    value: tf.conv2d(x, w, 1, 'same'), // [B, H, W, O]
    gradFunc: (dy: tf.Tensor4D, saved: tf.Tensor[]) => {
      const [xs, ws] = saved as [tf.Tensor4D, tf.Tensor4D];
      const r = (ws.shape[0] - 1) / 2;
      const dx = tf.conv2dTranspose(dy, ws, xs.shape, 1, 'same'); // [B, H, W, C]
      const xt = tf.transpose(tf.pad(xs, [[0, 0], [r, r], [r, r], [0, 0]]), [3, 1, 2, 0]) as tf.Tensor4D; // [C, H + 2r, W + 2r, B]
      const dyt = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D; // [H, W, B, O]
      const dw = tf.transpose(tf.conv2d(xt, dyt, 1, 'valid'), [1, 2, 0, 3]); // [C, k, k, O] → [k, k, C, O]
      return [dx, dw];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor4D;

/**
 * conv(x) + b with stride 1 and 'same' zero padding: x [B, H, W, C] → [B, H, W, O]
 * (the formula above).
 */
export function conv2d(x: tf.Tensor4D, layer: ConvLayer): tf.Tensor4D {
  checkRank(x, 4, 'x', '[B, H, W, C]');
  const C = layer.weight.shape[2];
  if (x.shape[3] !== C) throw new Error(`x: expected ${C} channels (the layer's input C), got ${x.shape[3]} in [${x.shape}]`);
  return tf.tidy(() => tf.add(convSame(x, layer.weight), layer.bias) as tf.Tensor4D); // [B, H, W, O]
}

/** The encoder's settings. */
export interface CnnConfig {
  /** C_n: output channels of each block (N = length blocks, each halves the side). */
  channels: number[];
  /** k: kernel side (odd). */
  kernelSize: number;
  /** Append the pixel coordinates u, v as two input channels. */
  coordinates: boolean;
  /** Normalise each conv output over [H, W, C] per image (layer norm, γ and β per channel). */
  layerNorm: boolean;
  /** Fold each 2×2 block of pixels into 12 channels before the first convolution. */
  spaceToDepth: boolean;
}

export const CNN_CONFIG_KEYS = ['channels', 'kernelSize', 'coordinates', 'layerNorm', 'spaceToDepth'] as const;

/** The defaults: three 3×3 blocks of 16, 32, 64 channels with coordinates and layer norm (32×32 → G = 4·4 = 16, C = 64). */
export const cnnDefaults: CnnConfig = { channels: [16, 32, 64], kernelSize: 3, coordinates: true, layerNorm: true, spaceToDepth: false };

/** A CNN encoder: its conv layers, in order. */
export interface Cnn {
  config: CnnConfig;
  layers: ConvLayer[];
  /** one per conv layer when config.layerNorm */
  norms: NormLayer[];
}

/** Create the encoder for RGB input (3 channels, + 2 with coordinates). */
export function createCnn(config: CnnConfig, seed?: number): Cnn {
  checkKeys(config, CNN_CONFIG_KEYS, 'cnn config');
  if (!Array.isArray(config.channels) || config.channels.length === 0) {
    throw new Error(`channels: expected a non-empty list of channel counts, got ${JSON.stringify(config.channels)}`);
  }
  config.channels.forEach((c, n) => checkInt(c, 1, 4096, `channels[${n}]`));
  const next = seedSequence(seed);
  let inputs = (config.spaceToDepth ? 12 : 3) + (config.coordinates ? 2 : 0);
  const layers = config.channels.map((c) => {
    const layer = convLayer(inputs, c, config.kernelSize, next());
    inputs = c;
    return layer;
  });
  const norms = config.layerNorm
    ? config.channels.map((c) => ({ gain: tf.variable(tf.ones([c]), true) as tf.Variable<tf.Rank.R1>, shift: tf.variable(tf.zeros([c]), true) as tf.Variable<tf.Rank.R1> }))
    : [];
  return { config: { ...config, channels: [...config.channels] }, layers, norms };
}

/** The grid an S×S image gives: side S / 2^N, G = side², C = C_N. Errors when S does not halve N times. */
export function gridShape(cnn: Cnn, S: number): { side: number; G: number; C: number } {
  const N = cnn.layers.length + (cnn.config.spaceToDepth ? 1 : 0);
  if (!(Number.isInteger(S) && S % 2 ** N === 0 && S > 0)) {
    const why = `${cnn.layers.length} pooling blocks${cnn.config.spaceToDepth ? ' and space-to-depth' : ''}`;
    throw new Error(`image side: expected a multiple of 2^${N} = ${2 ** N} (${why}), got ${S}`);
  }
  const side = S / 2 ** N;
  return { side, G: side * side, C: cnn.config.channels[cnn.layers.length - 1] };
}

/** The named weights: `encoder.conv{n}.weight` [k, k, C, O], `encoder.conv{n}.bias` [O]. */
export function cnnWeights(cnn: Cnn): Record<string, tf.Variable> {
  const named: Record<string, tf.Variable> = {};
  cnn.layers.forEach((l, n) => {
    named[`encoder.conv${n + 1}.weight`] = l.weight;
    named[`encoder.conv${n + 1}.bias`] = l.bias;
  });
  cnn.norms.forEach((l, n) => {
    named[`encoder.norm${n + 1}.weight`] = l.gain;
    named[`encoder.norm${n + 1}.bias`] = l.shift;
  });
  return named;
}

/** u, v ∈ [−1, 1] of every pixel: [1, S, S, 2] (column, row at pixel centres). */
function coordinateChannels(S: number): tf.Tensor4D {
  const data = new Float32Array(S * S * 2);
  for (let i = 0; i < S; i++) {
    for (let j = 0; j < S; j++) {
      data[(i * S + j) * 2] = ((j + 0.5) / S) * 2 - 1;
      data[(i * S + j) * 2 + 1] = ((i + 0.5) / S) * 2 - 1;
    }
  }
  return tf.tensor4d(data, [1, S, S, 2]);
}

/**
 * Each 2×2 block of pixels as one position of 4·C channels, ordered (row in block, column in
 * block, channel): x [B, H, W, C] → [B, H/2, W/2, 4C].
 */
export function spaceToDepth(x: tf.Tensor4D): tf.Tensor4D {
  const [B, H, W, C] = x.shape;
  if (H % 2 !== 0 || W % 2 !== 0) throw new Error(`spaceToDepth: expected an even height and width, got [${x.shape}]`);
  return tf.tidy(() => {
    const rows = tf.reshape(x, [B * (H / 2), 2, W / 2, 2 * C]); // [B·H/2, a, W/2, (b, c)]
    return tf.reshape(tf.transpose(rows, [0, 2, 1, 3]), [B, H / 2, W / 2, 4 * C]) as tf.Tensor4D; // [B, H/2, W/2, (a, b, c)]
  });
}

/** LN(y) = γ (y − μ) / √(σ² + 1e−5) + β, μ and σ² over [H, W, C] of each image: y [B, H, W, C] → the same. */
export function layerNorm(y: tf.Tensor4D, norm: NormLayer): tf.Tensor4D {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(y, [1, 2, 3], true); // [B, 1, 1, 1]
    const z = tf.div(tf.sub(y, mean), tf.sqrt(tf.add(variance, 1e-5))); // [B, H, W, C]
    return tf.add(tf.mul(z, norm.gain), norm.shift) as tf.Tensor4D;
  });
}

/**
 * Images [B, S, S, 3] (RGB in [0, 1]) → feature grid [B, G, C] (see the formula at the top).
 */
export function cnnFeatures(cnn: Cnn, images: tf.Tensor4D): tf.Tensor3D {
  checkRank(images, 4, 'images', '[B, S, S, 3]');
  const [B, S, S2, ch] = images.shape;
  if (S !== S2) throw new Error(`images: expected square images [B, S, S, 3], got [${images.shape}]`);
  if (ch !== 3) throw new Error(`images: expected 3 channels (RGB), got ${ch} in [${images.shape}]`);
  const { G, C } = gridShape(cnn, S);
  return tf.tidy(() => {
    let x = tf.mul(tf.sub(images, tf.mean(images, [1, 2], true)), 2) as tf.Tensor4D; // x̄ [B, S, S, 3]
    let side = S;
    if (cnn.config.spaceToDepth) {
      side = S / 2;
      x = spaceToDepth(x); // [B, S/2, S/2, 12]
    }
    if (cnn.config.coordinates) x = tf.concat([x, tf.tile(coordinateChannels(side), [B, 1, 1, 1])], 3); // [B, S', S', · + 2]
    cnn.layers.forEach((layer, n) => {
      let y = conv2d(x, layer); // [B, S/2ⁿ⁻¹, S/2ⁿ⁻¹, C_n]
      if (cnn.norms.length) y = layerNorm(y, cnn.norms[n]);
      x = tf.maxPool(tf.relu(y), 2, 2, 'valid'); // [B, S/2ⁿ, S/2ⁿ, C_n]
    });
    return tf.reshape(x, [B, G, C]) as tf.Tensor3D; // [B, G, C]
  });
}
