import { describe, expect, it } from 'vitest';
import { historyPanels, trainingCurvesPlot } from '../../src/plot/curves.ts';
import { renderSvg } from '../../src/plot/render.ts';
import { axisTitles, markItems } from './svg-marks.ts';

const history = Array.from({ length: 7 }, (_, i) => ({ epoch: i + 1, loss: 10 / (i + 1), score: 0.5 / (i + 1) }));

describe('trainingCurvesPlot', () => {
  it('draws one point per epoch in each panel', async () => {
    const svg = await renderSvg(trainingCurvesPlot({ history, bestEpoch: 5 }));
    expect(markItems(svg, 'curve_points_0')).toHaveLength(7);
    expect(markItems(svg, 'curve_points_1')).toHaveLength(7);
  });

  it('draws one point per epoch per series when a panel holds two series', async () => {
    const h = history.map((e) => ({ ...e, devLoss: e.loss + 1 }));
    const svg = await renderSvg(
      trainingCurvesPlot({ history: h, panels: [{ title: 'loss (nats)', series: [{ field: 'loss', label: 'train' }, { field: 'devLoss', label: 'dev' }] }] }),
    );
    expect(markItems(svg, 'curve_points_0')).toHaveLength(14);
  });

  it('marks the best epoch with one rule per panel, and none without a best epoch', async () => {
    const marked = await renderSvg(trainingCurvesPlot({ history, bestEpoch: 5 }));
    expect(markItems(marked, 'best_rule_0')).toHaveLength(1);
    expect(markItems(marked, 'best_rule_1')).toHaveLength(1);
    const unmarked = await renderSvg(trainingCurvesPlot({ history }));
    expect(markItems(unmarked, 'best_rule_0')).toHaveLength(0);
  });

  it('titles the axes: epoch across, each panel its quantity with the unit', async () => {
    const svg = await renderSvg(
      trainingCurvesPlot({ history, panels: [{ title: 'CTC loss (nats per utterance)', series: [{ field: 'loss', label: 'train' }] }, { title: 'CER (%)', series: [{ field: 'score', label: 'dev', scale: 100 }] }] }),
    );
    expect(axisTitles(svg)).toEqual(expect.arrayContaining(['epoch', 'CTC loss (nats per utterance)', 'CER (%)']));
  });

  it('leaves out epochs whose value is not finite', async () => {
    const h = history.map((e, i) => ({ ...e, score: i === 0 ? NaN : e.score }));
    const svg = await renderSvg(trainingCurvesPlot({ history: h }));
    expect(markItems(svg, 'curve_points_1')).toHaveLength(6);
  });

  it('names a field no epoch has', () => {
    expect(() => trainingCurvesPlot({ history, panels: [{ title: 'BLEU', series: [{ field: 'devBleu', label: 'dev' }] }] })).toThrow(/no history entry has the field 'devBleu'/);
  });
});

describe('historyPanels', () => {
  it('gives the translation recipes loss, BLEU and exact match (in %)', () => {
    const panels = historyPanels([{ epoch: 1, loss: 2, score: -10, devBleu: 10, devExact: 0.2 }]);
    expect(panels.map((p) => p.title)).toEqual(['training loss (nats)', 'BLEU', 'exact match (%)']);
    expect(panels[2].series[0].scale).toBe(100);
  });

  it('gives a recipe with only a score loss and that score under its title', () => {
    const panels = historyPanels([{ epoch: 1, loss: 2, score: 0.1 }], { scoreTitle: 'CER (%)', scoreScale: 100 });
    expect(panels.map((p) => p.title)).toEqual(['training loss (nats)', 'CER (%)']);
  });
});
