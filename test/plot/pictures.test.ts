import { describe, expect, it } from 'vitest';
import { attentionPlot, imageAttentionPlot } from '../../src/plot/attention.ts';
import { confusionMatrixPlot } from '../../src/plot/confusion.ts';
import { forecastPlot } from '../../src/plot/forecast.ts';
import { posteriorgramPlot } from '../../src/plot/posteriorgram.ts';
import { renderSvg } from '../../src/plot/render.ts';
import { segmentsFromPath, spectrogramPlot } from '../../src/plot/spectrogram.ts';
import { axisLabels, axisTitles, markItems } from './svg-marks.ts';

const grid = (R: number, C: number, f: (r: number, c: number) => number) => Array.from({ length: R }, (_, r) => Array.from({ length: C }, (_, c) => f(r, c)));

describe('posteriorgramPlot', () => {
  const symbols = ['<space>', '가', '나', '<blank>'];
  const probs = grid(9, 4, (t, k) => (k === t % 4 ? 0.7 : 0.1));
  it('draws T × C cells and one alignment point per frame', async () => {
    const svg = await renderSvg(posteriorgramPlot({ probs, symbols, blank: 3, path: [3, 1, 1, 3, 2, 3, 3, 2, 3] }));
    expect(markItems(svg, 'posterior_cells')).toHaveLength(9 * 4);
    expect(markItems(svg, 'alignment_path')).toHaveLength(9);
  });
  it('names the blank row ∅, lists it last, and titles the axes with units', async () => {
    const svg = await renderSvg(posteriorgramPlot({ probs, symbols, blank: 3 }));
    expect(axisLabels(svg).filter((l) => !/^[\d.]+$/.test(l))).toEqual(['<space>', '가', '나', '∅']);
    expect(axisTitles(svg)).toEqual(expect.arrayContaining(['time (s)', 'class k']));
  });
  it('names a path entry that is not a class', () => {
    expect(() => posteriorgramPlot({ probs, symbols, blank: 3, path: [0, 1, 2, 3, 4, 0, 0, 0, 0] })).toThrow(/path\[4\] = 4/);
  });
});

describe('spectrogramPlot', () => {
  it('draws T × F cells and one label per segment, the transcript in the subtitle', async () => {
    const svg = await renderSvg(
      spectrogramPlot({ features: grid(30, 8, (t, f) => t + f), transcript: '안녕', segments: [{ label: '안', start: 2, end: 10 }, { label: '녕', start: 14, end: 20 }] }),
    );
    expect(markItems(svg, 'feature_cells')).toHaveLength(30 * 8);
    expect(markItems(svg, 'segment_labels')).toHaveLength(2);
    expect(svg).toContain('“안녕”');
    expect(axisTitles(svg)).toEqual(expect.arrayContaining(['time (s)', 'mel bin (low → high frequency)']));
  });
  it('names a frame that is not finite', () => {
    expect(() => spectrogramPlot({ features: [[0, 1], [NaN, 2]] })).toThrow(/frame 1, bin 0 is NaN/);
  });
});

describe('segmentsFromPath', () => {
  it('turns runs of one label into segments, blanks splitting repeats (by hand)', () => {
    // frames: ∅ a a ∅ a b b, 2 feature frames per step
    expect(segmentsFromPath([null, 'a', 'a', null, 'a', 'b', 'b'], 2)).toEqual([
      { label: 'a', start: 2, end: 6 },
      { label: 'a', start: 8, end: 10 },
      { label: 'b', start: 10, end: 14 },
    ]);
  });
});

describe('attentionPlot', () => {
  it('draws U × T cells and keeps repeated tokens in their own columns', async () => {
    const src = ['the', 'cat', 'saw', 'the', 'dog', '<eos>'];
    const tgt = ['고양이가', '개를', '봤다', '<eos>'];
    const svg = await renderSvg(attentionPlot({ sourceTokens: src, targetTokens: tgt, weights: grid(4, 6, () => 1 / 6) }));
    expect(markItems(svg, 'attention_cells')).toHaveLength(24);
    expect(axisLabels(svg).filter((l) => l === 'the')).toHaveLength(2);
    expect(axisTitles(svg)).toEqual(expect.arrayContaining(['source token', 'generated token']));
  });
  it('names a token list that does not match the weights', () => {
    expect(() => attentionPlot({ sourceTokens: ['a'], targetTokens: ['b'], weights: [[0.5, 0.5]] })).toThrow(/sourceTokens \[T\]: expected 2 entries/);
  });
});

describe('imageAttentionPlot', () => {
  it('draws one panel of G = G_h × G_w cells per word', async () => {
    const svg = await renderSvg(imageAttentionPlot({ words: ['a', 'dog', '<eos>'], weights: grid(3, 12, (u, g) => (g === u ? 1 : 0)), gridHeight: 3, gridWidth: 4 }));
    for (let u = 0; u < 3; u++) expect(markItems(svg, `grid_cells_${u}`)).toHaveLength(12);
    expect(svg).toContain('>dog<');
  });
  it('draws the image under the maps when given', async () => {
    const png1x1 = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
    const svg = await renderSvg(imageAttentionPlot({ words: ['a'], weights: [[0.25, 0.25, 0.25, 0.25]], gridHeight: 2, gridWidth: 2, image: png1x1 }));
    expect(svg).toMatch(/<image[^>]*href="data:image\/png;base64,/);
  });
  it('names a grid that does not hold G cells', () => {
    expect(() => imageAttentionPlot({ words: ['a'], weights: [[1, 0, 0]], gridHeight: 2, gridWidth: 2 })).toThrow(/2 × 2 is not the G = 3/);
  });
});

describe('confusionMatrixPlot', () => {
  const counts = [
    [5, 1, 0],
    [2, 6, 0],
    [0, 0, 4],
  ];
  it('draws K × K cells, each with its count', async () => {
    const svg = await renderSvg(confusionMatrixPlot({ labels: ['cat', 'dog', 'bird'], counts }));
    expect(markItems(svg, 'confusion_cells')).toHaveLength(9);
    const texts = markItems(svg, 'confusion_counts');
    expect(texts).toHaveLength(9);
    expect(axisTitles(svg)).toEqual(expect.arrayContaining(['predicted class', 'actual class']));
  });
  it('states the accuracy: (5 + 6 + 4) / 18 = 83.3 %', async () => {
    const svg = await renderSvg(confusionMatrixPlot({ labels: ['cat', 'dog', 'bird'], counts }));
    expect(svg).toContain('accuracy 83.3 % of 18 items');
  });
  it('names a matrix that is not square', () => {
    expect(() => confusionMatrixPlot({ labels: ['a', 'b'], counts: [[1, 2, 3], [4, 5, 6]] })).toThrow(/is \[2, 3\], not square/);
  });
});

describe('forecastPlot', () => {
  it('draws one point per time for each series, leaving out missing predictions', async () => {
    const time = Array.from({ length: 24 }, (_, h) => h);
    const actual = time.map((h) => 10 + Math.sin(h / 4));
    const predicted = time.map((h, i) => (i < 2 ? NaN : 10 + Math.sin(h / 4) + 0.1));
    const svg = await renderSvg(forecastPlot({ time, actual, predicted, valueTitle: 'load (kW)', timeTitle: 'hour of the test day' }));
    expect(markItems(svg, 'actual_points')).toHaveLength(24);
    expect(markItems(svg, 'predicted_points')).toHaveLength(22);
    expect(axisTitles(svg)).toEqual(['hour of the test day', 'load (kW)']);
  });
  it('states the mean absolute error over the points with both values (by hand: 0.5)', async () => {
    const svg = await renderSvg(forecastPlot({ time: [0, 1, 2], actual: [1, 2, 3], predicted: [1.5, 1.5, NaN], valueTitle: 'y' }));
    expect(svg).toContain('mean absolute error 0.5000 over 2 points');
  });
});

describe('colour scales', () => {
  it('heat maps read in greyscale: the legend gradient gets lighter at every stop (luminance 0.299 R + 0.587 G + 0.114 B)', async () => {
    const svg = await renderSvg(confusionMatrixPlot({ labels: ['a', 'b'], counts: [[3, 1], [1, 3]] }));
    const stops = [...svg.matchAll(/<stop offset="[^"]+" stop-color="rgb\((\d+), (\d+), (\d+)\)"\/>/g)].map((m) => 0.299 * +m[1] + 0.587 * +m[2] + 0.114 * +m[3]);
    expect(stops.length).toBeGreaterThan(5);
    for (let i = 1; i < stops.length; i++) expect(stops[i]).toBeGreaterThan(stops[i - 1]);
  });
});
