/**
 * Reading images: PNG (pngjs) and JPEG (jpeg-js), both pure JavaScript so the same code runs in a
 * browser. The format is told by the file's first bytes, not its name.
 *
 *   decodeImage(bytes)   → RGB in [0, 1], [H · W · 3] row-major; alpha is composited over white
 *   resizeImage(img, S)  → [S, S, 3] by bilinear interpolation (tf.image.resizeBilinear, half-pixel
 *                          centres); a non-square image is stretched to the square
 *   imageBatch(pixels, S) → [B, S, S, 3]
 * (Nothing here touches the file system, so it runs in a browser; read-images.ts reads files.)
 */
import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import { checkInt } from '../check.ts';

/** A decoded image: width W, height H and RGB values in [0, 1], [H · W · 3] row-major. */
export interface DecodedImage {
  width: number;
  height: number;
  data: Float32Array;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** 'png' | 'jpeg' from the first bytes, or null. */
export function imageFormat(bytes: Uint8Array): 'png' | 'jpeg' | null {
  if (PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return null;
}

/** RGBA bytes [H · W · 4] → RGB in [0, 1] [H · W · 3], alpha composited over white. */
function rgbaToRgb(rgba: Uint8Array, width: number, height: number): Float32Array {
  const out = new Float32Array(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    const a = rgba[4 * p + 3] / 255;
    for (let ch = 0; ch < 3; ch++) out[3 * p + ch] = (a * rgba[4 * p + ch] + (1 - a) * 255) / 255;
  }
  return out;
}

/** PNG or JPEG file bytes → RGB in [0, 1]. `name` (the file) is named in every error. */
export function decodeImage(bytes: Uint8Array, name: string): DecodedImage {
  const format = imageFormat(bytes);
  if (format === null) {
    const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new Error(`${name}: not a PNG or JPEG file (first bytes: ${head || 'none, the file is empty'})`);
  }
  try {
    if (format === 'png') {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return { width: png.width, height: png.height, data: rgbaToRgb(png.data, png.width, png.height) };
    }
    const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 512 });
    return { width: img.width, height: img.height, data: rgbaToRgb(img.data, img.width, img.height) };
  } catch (err) {
    throw new Error(`${name}: cannot decode this ${format.toUpperCase()} file: ${(err as Error).message}`);
  }
}

/** An image → [S, S, 3] (bilinear; unchanged values when it is already S×S). */
export function resizeImage(image: DecodedImage, S: number): tf.Tensor3D {
  checkInt(S, 1, 1 << 14, 'size');
  return tf.tidy(() => {
    const x = tf.tensor3d(image.data, [image.height, image.width, 3]); // [H, W, 3]
    if (image.height === S && image.width === S) return x;
    return tf.image.resizeBilinear(x, [S, S], false, true); // [S, S, 3]
  });
}

/** Pixel rows [S · S · 3] (B of them) → a batch [B, S, S, 3]. */
export function imageBatch(pixels: readonly Float32Array[], S: number): tf.Tensor4D {
  const data = new Float32Array(pixels.length * S * S * 3);
  pixels.forEach((p, b) => {
    if (p.length !== S * S * 3) throw new Error(`pixels[${b}]: expected ${S * S * 3} values (${S}×${S}×3), got ${p.length}`);
    data.set(p, b * S * S * 3);
  });
  return tf.tensor4d(data, [pixels.length, S, S, 3]); // [B, S, S, 3]
}
