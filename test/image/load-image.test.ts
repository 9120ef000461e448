import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { decodeImage, imageFormat, resizeImage } from '../../src/image/load-image.ts';
import { readImages } from '../../src/image/read-images.ts';

/** A PNG of W×H RGBA pixels. */
function pngBytes(width: number, height: number, rgba: number[]): Buffer {
  const png = new PNG({ width, height });
  png.data.set(rgba);
  return PNG.sync.write(png);
}

describe('decodeImage', () => {
  it('reads PNG pixels as RGB / 255, row-major', () => {
    const img = decodeImage(pngBytes(2, 1, [255, 0, 0, 255, 0, 51, 102, 255]), 'two.png');
    expect(img.width).toBe(2);
    expect(img.height).toBe(1);
    [1, 0, 0, 0, 0.2, 0.4].forEach((v, i) => expect(img.data[i]).toBeCloseTo(v, 6));
  });

  it('composites PNG alpha over white', () => {
    // a = 0.2: 0.2 · 0 + 0.8 · 255 = 204
    const img = decodeImage(pngBytes(1, 1, [0, 0, 0, 51]), 'alpha.png');
    Array.from(img.data).forEach((v) => expect(v).toBeCloseTo(0.8, 6));
  });

  it('reads a JPEG (a flat colour comes back within JPEG rounding)', () => {
    const data = Buffer.alloc(16 * 16 * 4);
    for (let p = 0; p < 256; p++) data.set([200, 40, 30, 255], 4 * p);
    const bytes = jpeg.encode({ width: 16, height: 16, data }, 95).data;
    expect(imageFormat(bytes)).toBe('jpeg');
    const img = decodeImage(bytes, 'flat.jpg');
    expect([img.width, img.height]).toEqual([16, 16]);
    [200, 40, 30].forEach((v, ch) => expect(Math.abs(img.data[ch] * 255 - v)).toBeLessThan(4));
  });

  it('names the file and its first bytes when it is neither PNG nor JPEG', () => {
    expect(() => decodeImage(new TextEncoder().encode('GIF89a'), 'pic.gif')).toThrow(/pic\.gif: not a PNG or JPEG file \(first bytes: 47 49 46 38\)/);
    expect(() => decodeImage(new Uint8Array(0), 'empty.png')).toThrow(/empty\.png.*the file is empty/);
  });

  it('names the file when a PNG is cut short', () => {
    const bytes = pngBytes(4, 4, new Array(64).fill(128)).subarray(0, 40);
    expect(() => decodeImage(bytes, 'cut.png')).toThrow(/cut\.png: cannot decode this PNG file/);
  });
});

describe('resizeImage', () => {
  it('interpolates bilinearly with half-pixel centres (by hand: [0, 1] → [0, .25, .75, 1])', () => {
    // Output x maps to input (x + 0.5)/2 − 0.5 = −0.25, 0.25, 0.75, 1.25 → clamped 0, .25, .75, 1.
    const img = { width: 2, height: 1, data: new Float32Array([0, 0, 0, 1, 1, 1]) };
    const out = resizeImage(img, 4).arraySync(); // [4, 4, 3]: every row the same
    expect(out[2].map((p) => p[0])).toEqual([0, 0.25, 0.75, 1]);
  });

  it('leaves an image of the right size unchanged', () => {
    const data = new Float32Array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 0, 0.5]);
    expect(Array.from(resizeImage({ width: 2, height: 2, data }, 2).dataSync())).toEqual(Array.from(data));
  });
});

describe('readImages', () => {
  it('reads the good files and gives a named error for each bad one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sori-img-'));
    writeFileSync(join(dir, 'good.png'), pngBytes(1, 1, [255, 255, 255, 255]));
    writeFileSync(join(dir, 'bad.png'), 'not an image');
    const out = readImages([join(dir, 'good.png'), join(dir, 'missing.png'), join(dir, 'bad.png')], 2);
    expect(Array.from(out[0].pixels!)).toEqual(new Array(12).fill(1));
    expect(out[1].error).toMatch(/missing\.png: cannot read the file \(ENOENT\)/);
    expect(out[2].error).toMatch(/bad\.png: not a PNG or JPEG file/);
  });
});
