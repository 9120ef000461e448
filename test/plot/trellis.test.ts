import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { ctcAlphaBeta, ctcForcedAlign } from '../../src/index.ts';
import { renderSvg } from '../../src/plot/render.ts';
import { alignmentStates, trellisPlot } from '../../src/plot/trellis.ts';
import { axisLabels, axisTitles, markItems } from './svg-marks.ts';

const symbols = ['<space>', '안', '녕', '하', '세', '요', '<blank>'];
const blank = 6;

function trellisOf(T: number, labels: number[]) {
  const logits = tf.tidy(() => tf.randomNormal([T, symbols.length], 0, 1, 'float32', 7)) as tf.Tensor2D;
  const ab = ctcAlphaBeta(logits, labels, { blank });
  const al = ctcForcedAlign(logits, labels, { blank });
  const out = { logAlpha: ab.logAlpha.arraySync(), logBeta: ab.logBeta.arraySync(), extendedLabels: ab.extendedLabels, alignment: al.labelIndex };
  tf.dispose([logits, ab.logAlpha, ab.logBeta]);
  return out;
}

describe('trellisPlot', () => {
  it('draws T × (2U + 1) cells in each of the log α and log β panels', async () => {
    const T = 12;
    const labels = [1, 2, 3];
    const t = trellisOf(T, labels);
    const svg = await renderSvg(trellisPlot({ ...t, symbols, blank }));
    expect(markItems(svg, 'alpha_cells')).toHaveLength(T * (2 * labels.length + 1));
    expect(markItems(svg, 'beta_cells')).toHaveLength(T * (2 * labels.length + 1));
  });

  it('draws one alignment point per frame in each panel', async () => {
    const t = trellisOf(10, [4, 5]);
    const svg = await renderSvg(trellisPlot({ ...t, symbols, blank }));
    expect(markItems(svg, 'alpha_path')).toHaveLength(10);
    expect(markItems(svg, 'beta_path')).toHaveLength(10);
  });

  it('labels the rows with l′: ∅ on the U + 1 blank rows, the symbols between', async () => {
    const t = trellisOf(8, [1, 2]);
    const svg = await renderSvg(trellisPlot({ ...t, symbols, blank }));
    const labels = axisLabels(svg);
    // two panels, each listing ∅ 0, 안 1, ∅ 2, 녕 3, ∅ 4
    expect(labels.filter((l) => l.startsWith('∅'))).toHaveLength(2 * 3);
    expect(labels).toContain('안  1');
    expect(labels).toContain('녕  3');
  });

  it('has a title and axis titles with the unit of the frames', async () => {
    const t = trellisOf(6, [1]);
    const svg = await renderSvg(trellisPlot({ ...t, symbols, blank, frameShiftMs: 20 }));
    expect(axisTitles(svg)).toContain('frame t (20 ms per frame)');
    expect(axisTitles(svg)).toContain('extended label s (l′_s)');
    expect(svg).toContain('CTC trellis');
  });

  it('leaves unreachable cells white: α_0(s) = 0 for s ≥ 2 (the recursion starts in ∅ or l_1)', async () => {
    const t = trellisOf(5, [1, 2]);
    const svg = await renderSvg(trellisPlot({ ...t, symbols, blank }));
    const cells = markItems(svg, 'alpha_cells');
    const S = 5;
    // data order is t-major: cells[t * S + s]
    for (let s = 2; s < S; s++) expect(cells[s]).toMatch(/fill="#ffffff"/);
    expect(cells[0]).not.toMatch(/fill="#ffffff"/);
    expect(cells[1]).not.toMatch(/fill="#ffffff"/);
  });

  it('names a logBeta of the wrong shape', () => {
    const t = trellisOf(4, [1]);
    expect(() => trellisPlot({ ...t, logBeta: t.logBeta.slice(1), symbols, blank })).toThrow(/logBeta \[T, S\]: is \[3, 3\], logAlpha is \[4, 3\]/);
  });

  it('rejects an unknown option by name', () => {
    const t = trellisOf(4, [1]);
    expect(() => trellisPlot({ ...t, symbols, blank, colour: 'red' } as never)).toThrow(/unknown option 'colour'/);
  });
});

describe('alignmentStates', () => {
  it('maps label frames to 2u + 1 and blank frames to the blank after the labels so far (by hand)', () => {
    // ∅ a a ∅ b ∅  →  s = 0 1 1 2 3 4
    expect(alignmentStates([-1, 0, 0, -1, 1, -1])).toEqual([0, 1, 1, 2, 3, 4]);
    // a repeated label: a ∅ a → 1 2 3
    expect(alignmentStates([0, -1, 1])).toEqual([1, 2, 3]);
  });
});
