import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { confusionMatrixPlot } from '../../src/plot/confusion.ts';
import { cjkFontFiles, pngFontFamilies, renderPng, renderSvg, svgToPng, writePlot } from '../../src/plot/render.ts';

const spec = confusionMatrixPlot({ labels: ['cat', 'dog'], counts: [[3, 1], [0, 4]] });
const svgSize = (svg: string) => {
  const m = /<svg[^>]*width="(\d+)" height="(\d+)"/.exec(svg)!;
  return { width: Number(m[1]), height: Number(m[2]) };
};
/** Distinct RGBA values in a rectangle of a decoded PNG. */
function colours(png: PNG, x0: number, y0: number, x1: number, y1: number): Set<number> {
  const seen = new Set<number>();
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) seen.add(png.data.readUInt32BE((y * png.width + x) * 4));
  return seen;
}
const systemFonts = ['/usr/share/fonts', '/usr/local/share/fonts'].some((d) => existsSync(d) && readdirSync(d).length > 0);

describe('pngFontFamilies', () => {
  it('gives text with Hangul Noto Sans CJK first and Latin-only text DejaVu Sans first', () => {
    const svg = '<g><text x="1" font-family="A, B" font-size="10px">epoch</text><text font-family="A" y="2">안녕 1</text></g>';
    expect(pngFontFamilies(svg)).toBe(
      `<g><text x="1" font-family="'DejaVu Sans', 'Noto Sans CJK KR'" font-size="10px">epoch</text><text font-family="'Noto Sans CJK KR', 'DejaVu Sans'" y="2">안녕 1</text></g>`,
    );
  });
});

describe('PNG rendering', () => {
  it('round-trips: the PNG decodes at the SVG size times the scale, and its plot area is not blank', async () => {
    const svg = await renderSvg(spec);
    const { width, height } = svgSize(svg);
    const png = PNG.sync.read(Buffer.from(svgToPng(svg, { scale: 2 })));
    expect([png.width, png.height]).toEqual([2 * width, 2 * height]);
    // the middle of the picture (the cells) holds more than one colour
    expect(colours(png, Math.floor(png.width / 4), Math.floor(png.height / 4), Math.floor((3 * png.width) / 4), Math.floor((3 * png.height) / 4)).size).toBeGreaterThan(1);
  });

  it('writes SVG or PNG by the extension, and names a path with another one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sori-plot-'));
    await writePlot(spec, join(dir, 'a.svg'));
    await writePlot(spec, join(dir, 'sub', 'a.png'));
    expect(readFileSync(join(dir, 'a.svg'), 'utf8')).toMatch(/^<svg /);
    expect(readFileSync(join(dir, 'sub', 'a.png')).subarray(1, 4).toString()).toBe('PNG');
    await expect(writePlot(spec, join(dir, 'a.jpg'))).rejects.toThrow(/a\.jpg: .* must be \.svg or \.png \(got '\.jpg'\)/);
  });

  // Text needs a font: with none installed resvg draws no glyphs, so these two say what they need.
  it.skipIf(!systemFonts)('draws Latin text with the system fonts alone (no CJK font given)', async () => {
    const text = { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', data: { values: [{}] }, mark: { type: 'text', fontSize: 40, text: 'Abc' }, width: 100, height: 60 } as const;
    const png = PNG.sync.read(Buffer.from(await renderPng(text as never, { fontFiles: [], loadSystemFonts: true, scale: 1 })));
    expect(colours(png, 0, 0, png.width, png.height).size).toBeGreaterThan(2); // white, black and anti-aliased greys
  });

  it.skipIf(cjkFontFiles().length === 0)('draws Hangul with Noto Sans CJK (fonts-noto-cjk)', async () => {
    const draw = async (fontFiles: string[]) => {
      const text = { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', data: { values: [{}] }, mark: { type: 'text', fontSize: 40, text: '안녕' }, width: 100, height: 60 };
      return PNG.sync.read(Buffer.from(await renderPng(text as never, { fontFiles, loadSystemFonts: false, scale: 1 })));
    };
    const withFont = await draw(cjkFontFiles());
    expect(colours(withFont, 0, 0, withFont.width, withFont.height).size).toBeGreaterThan(2);
    // and without any font nothing is drawn: the check above is not vacuous
    const without = await draw([]);
    expect(colours(without, 0, 0, without.width, without.height).size).toBe(1);
  });
});

describe('image attention in PNG', () => {
  it('draws the image under the maps (a red image shows through the 60 % opaque cells)', async () => {
    const red = new PNG({ width: 4, height: 4 });
    for (let i = 0; i < red.data.length; i += 4) red.data.set([255, 0, 0, 255], i);
    const url = `data:image/png;base64,${PNG.sync.write(red).toString('base64')}`;
    const { imageAttentionPlot } = await import('../../src/plot/attention.ts');
    const draw = async (image?: string) =>
      PNG.sync.read(Buffer.from(await renderPng(imageAttentionPlot({ words: ['a'], weights: [[0, 0, 0, 0]], gridHeight: 2, gridWidth: 2, image }), { scale: 1 })));
    const reddish = (png: PNG) => {
      let n = 0;
      for (let i = 0; i < png.data.length; i += 4) if (png.data[i] > 120 && png.data[i + 1] < 60) n++;
      return n;
    };
    expect(reddish(await draw(url))).toBeGreaterThan(1000); // the 120 × 120 panel tinted red
    expect(reddish(await draw())).toBe(0);
  });
});
