import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { confusionMatrixPlot } from '../../src/plot/confusion.ts';
import { trainingCurvesPlot } from '../../src/plot/curves.ts';
import { inlineSvg, markdownToHtml, reportHtml, zoomSvg } from '../../src/plot/report.ts';
import { writeExperimentReport } from '../../src/plot/write-report.ts';

describe('markdownToHtml', () => {
  it('renders a pipe table with numeric columns right-aligned, and headings one level down', () => {
    const html = markdownToHtml('# annyeong results\n\n| split | CER % |\n|---|---|\n| dev | 0.63 |\n| test | 1.31 |\n');
    expect(html).toContain('<h2>annyeong results</h2>');
    expect(html).toContain('<th>split</th><th class="num">CER %</th>');
    expect(html).toContain('<td>test</td><td class="num">1.31</td>');
  });
  it('escapes HTML in the text', () => {
    expect(markdownToHtml('a <script> & b')).toBe('<p>a &lt;script&gt; &amp; b</p>');
  });
});

describe('inlineSvg', () => {
  it('prefixes ids and their references, so two pictures with gradient_0 do not clash', () => {
    const svg = '<svg><defs><linearGradient id="gradient_0"/></defs><path fill="url(#gradient_0)"/></svg>';
    expect(inlineSvg(svg, 'curves')).toBe('<svg><defs><linearGradient id="curves-gradient_0"/></defs><path fill="url(#curves-gradient_0)"/></svg>');
  });
});

describe('zoomSvg', () => {
  it('scales the root width and height and leaves the viewBox', () => {
    expect(zoomSvg('<svg class="marks" width="100" height="50" viewBox="0 0 100 50"><rect width="10" height="10"/></svg>', 1.5)).toBe(
      '<svg class="marks" width="150" height="75" viewBox="0 0 100 50"><rect width="10" height="10"/></svg>',
    );
  });
});

describe('reportHtml', () => {
  it('is one page holding the results, each picture inline and the config', () => {
    const html = reportHtml({ title: 'toy', resultsMarkdown: '| a | b |\n|---|---|\n| 1 | 2 |', config: { model: { hiddenSize: 64 } }, pictures: [{ name: 'p1', svg: '<svg id="x"></svg>', caption: 'one' }] });
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<figure id="p1">');
    expect(html).toContain('<svg id="p1-x"></svg>');
    expect(html).toContain('&quot;hiddenSize&quot;: 64');
    expect(html).not.toMatch(/<script|<link|src="http/); // self-contained: nothing fetched
  });
});

describe('writeExperimentReport', () => {
  it('writes each picture as SVG (that parses), PNG (that decodes) and spec, and report.html', async () => {
    const expDir = mkdtempSync(join(tmpdir(), 'sori-report-'));
    const history = [1, 2, 3].map((epoch) => ({ epoch, loss: 1 / epoch, score: 0.3 / epoch }));
    const { report, files } = await writeExperimentReport({
      expDir,
      title: 'test',
      config: { a: 1 },
      resultsMarkdown: '| x | y |\n|---|---|\n| 1 | 2 |',
      plots: [
        { name: 'curves', spec: trainingCurvesPlot({ history, bestEpoch: 3 }), caption: 'loss and score' },
        { name: 'confusion', spec: confusionMatrixPlot({ labels: ['a', 'b'], counts: [[1, 0], [0, 1]] }) },
      ],
    });
    expect(files).toHaveLength(4);
    for (const name of ['curves', 'confusion']) {
      const svg = readFileSync(join(expDir, 'plots', `${name}.svg`), 'utf8');
      expect(() => new Resvg(svg)).not.toThrow(); // resvg parses it as XML + SVG
      const png = PNG.sync.read(readFileSync(join(expDir, 'plots', `${name}.png`)));
      expect(png.width).toBeGreaterThan(100);
      expect(JSON.parse(readFileSync(join(expDir, 'plots', `${name}.vl.json`), 'utf8')).$schema).toMatch(/vega-lite/);
    }
    const html = readFileSync(report, 'utf8');
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(existsSync(join(expDir, 'report.html'))).toBe(true);
  });

  it('names a plot whose name cannot be a file name', async () => {
    await expect(
      writeExperimentReport({ expDir: tmpdir(), title: 't', plots: [{ name: '../x', spec: confusionMatrixPlot({ labels: ['a'], counts: [[1]] }) }] }),
    ).rejects.toThrow(/plot name '..\/x'/);
  });
});

describe('Resvg', () => {
  it('refuses malformed SVG (so the parse check above can fail)', () => {
    expect(() => new Resvg('<svg><g></svg>')).toThrow();
  });
});
