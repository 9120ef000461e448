import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'puppeteer-core';
import { attentionPlot } from '../../src/plot/attention.ts';
import { trainingCurvesPlot } from '../../src/plot/curves.ts';
import { renderSvg } from '../../src/plot/render.ts';
import { trellisPlot } from '../../src/plot/trellis.ts';
import { writeExperimentReport } from '../../src/plot/write-report.ts';
import { browserSvgs, chromiumAvailable, launch, pageErrors } from './chromium.ts';
import { markItems } from './svg-marks.ts';

// Needs Debian's chromium (apt-get install chromium); skipped, and reported as skipped, without it.
describe.skipIf(!chromiumAvailable())('in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  const history = [1, 2, 3, 4].map((epoch) => ({ epoch, loss: 2 / epoch, score: 0.4 / epoch }));
  const trellis = trellisPlot({
    logAlpha: [[-1, -2, -1e30], [-2, -1, -3]],
    logBeta: [[-2, -1, -1e30], [-1, -2, -1]],
    extendedLabels: [2, 0, 2],
    symbols: ['안', '녕', '<blank>'],
    blank: 2,
  });

  it('a report page loads without console errors', async () => {
    const expDir = mkdtempSync(join(tmpdir(), 'sori-browser-'));
    const { report } = await writeExperimentReport({
      expDir,
      title: '안녕',
      resultsMarkdown: '| split | CER % |\n|---|---|\n| dev | 1.0 |',
      config: { a: 1 },
      plots: [
        { name: 'curves', spec: trainingCurvesPlot({ history, bestEpoch: 4 }) },
        { name: 'trellis', spec: trellis },
      ],
    });
    expect(await pageErrors(browser, [report])).toEqual({ [report]: [] });
  });

  it('renders the same specs as Node does, with the same marks', async () => {
    const specs = [trainingCurvesPlot({ history, bestEpoch: 2 }), trellis, attentionPlot({ sourceTokens: ['a', 'b'], targetTokens: ['가'], weights: [[0.3, 0.7]] })];
    const { svgs, errors } = await browserSvgs(browser, specs);
    expect(errors).toEqual([]);
    expect(markItems(svgs[0], 'curve_points_0')).toHaveLength(4);
    expect(markItems(svgs[1], 'alpha_cells')).toHaveLength(2 * 3);
    expect(markItems(svgs[2], 'attention_cells')).toHaveLength(2);
    const node = await renderSvg(specs[1]);
    expect(markItems(svgs[1], 'beta_cells').length).toBe(markItems(node, 'beta_cells').length);
  });
});
