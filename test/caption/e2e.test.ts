// A tiny captioner trained end to end: train → save → load → caption files (and a bad file).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { captionBatch } from '../../src/caption/batch.ts';
import { captionLoss, captionerWeights, createCaptioner, disposeCaptioner } from '../../src/caption/captioner.ts';
import { loadCaptioner, saveCaptioner } from '../../src/caption/model-files.ts';
import { Vocabulary } from '../../src/text/vocabulary.ts';
import { captionFiles } from '../../src/cli/caption.ts';

const S = 8;
/** An 8×8 image: a 4×4 block of `rgb` at the top-left or bottom-right corner on white. */
function picture(rgb: number[], corner: 'top' | 'bottom'): Float32Array {
  const data = new Float32Array(S * S * 3).fill(1);
  const o = corner === 'top' ? 0 : 4;
  for (let i = o; i < o + 4; i++) for (let j = o; j < o + 4; j++) data.set(rgb, (i * S + j) * 3);
  return data;
}
function pngFile(path: string, pixels: Float32Array): void {
  const png = new PNG({ width: S, height: S });
  for (let p = 0; p < S * S; p++) png.data.set([...pixels.subarray(3 * p, 3 * p + 3)].map((v) => Math.round(v * 255)).concat(255), 4 * p);
  writeFileSync(path, PNG.sync.write(png));
}

describe('captioning end to end', () => {
  it('learns four pictures, saves, loads and captions their PNG files; a bad file gets a named error', () => {
    const pictures = [
      { pixels: picture([1, 0, 0], 'top'), text: 'red at the top' },
      { pixels: picture([0, 0, 1], 'top'), text: 'blue at the top' },
      { pixels: picture([1, 0, 0], 'bottom'), text: 'red at the bottom' },
      { pixels: picture([0, 0, 1], 'bottom'), text: 'blue at the bottom' },
    ];
    const vocabulary = Vocabulary.build(pictures.map((p) => p.text), 'word');
    const model = createCaptioner({
      vocabSize: vocabulary.size, imageSize: S, cnn: { channels: [4, 8], kernelSize: 3, coordinates: true, layerNorm: false, spaceToDepth: false },
      embeddingSize: 8, hiddenSize: 16, numLayers: 1, cell: 'gru', attention: 'luong-general', dropout: 0, seed: 1,
    });
    const images = tf.tensor4d(Float32Array.from(pictures.flatMap((p) => [...p.pixels])), [4, S, S, 3]);
    const batch = captionBatch(images, pictures.map((p) => vocabulary.encode(p.text)));
    const optimizer = tf.train.adam(0.02);
    const vars = Object.values(captionerWeights(model));
    let loss = Infinity;
    for (let step = 0; step < 150 && loss > 0.01; step++) {
      loss = tf.tidy(() => optimizer.minimize(() => captionLoss(model, batch, { training: true }), true, vars)!.dataSync()[0]);
    }
    expect(loss).toBeLessThan(0.05);

    const dir = mkdtempSync(join(tmpdir(), 'sori-caption-'));
    saveCaptioner(join(dir, 'model'), model, vocabulary);
    disposeCaptioner(model);
    const paths = pictures.map((p, i) => {
      const path = join(dir, `picture-${i}.png`);
      pngFile(path, p.pixels);
      return path;
    });
    writeFileSync(join(dir, 'broken.png'), 'this is not a PNG');
    const loaded = loadCaptioner(join(dir, 'model'));
    const out = loaded.captionFiles([paths[0], join(dir, 'broken.png'), ...paths.slice(1)], { beamWidth: 2 });
    loaded.dispose();
    expect(out.map((r) => r.caption?.text)).toEqual([pictures[0].text, undefined, ...pictures.slice(1).map((p) => p.text)]);
    expect(out[1].error).toMatch(/broken\.png: not a PNG or JPEG file/);
    expect(out[0].caption!.attention[0]).toHaveLength(4); // 2×2 grid

    // The CLI's function: PATH<TAB>CAPTION lines for the good files, the bad file's error apart.
    const cli = captionFiles([join(dir, 'broken.png'), paths[3]], { model: join(dir, 'model'), beam: 1, attention: join(dir, 'att.json') });
    expect(cli.lines).toEqual([`${paths[3]}\t${pictures[3].text}`]);
    expect(cli.captions).toEqual([{ path: paths[3], caption: pictures[3].text }]);
    expect(cli.errors).toHaveLength(1);
    expect(cli.errors[0]).toContain('broken.png');
    // '-' is standard input: the bytes the CLI read from it.
    const piped = captionFiles(['-'], { model: join(dir, 'model'), stdin: readFileSync(paths[1]) });
    expect(piped.lines).toEqual([`-\t${pictures[1].text}`]);
  });
});
