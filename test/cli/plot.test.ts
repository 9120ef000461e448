import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCtcModel, ctcModelDefaults, disposeCtcModel, frameCount, loadAudio, saveCtcModel, speechFeatureDefaults, renderSvg } from '../../src/index.ts';
import { plotSpec } from '../../src/cli/plot.ts';
import { markItems } from '../plot/svg-marks.ts';

const wav = 'corpora/annyeong/wav/test/test-0001.wav';
const symbols = ['<space>', '안', '녕', '하', '세', '요', '<blank>'];
let modelDir: string;

beforeAll(() => {
  // an untrained small model: the pictures' shapes do not depend on what it learned
  modelDir = mkdtempSync(join(tmpdir(), 'sori-plot-model-'));
  const model = createCtcModel({ ...ctcModelDefaults, hiddenSize: 8, numLayers: 1, dropout: 0 });
  saveCtcModel(modelDir, model, { symbols, blank: 6, features: { ...speechFeatureDefaults } });
  disposeCtcModel(model);
});

const base = { beam: 1, scoreScale: 1, scale: 2 };

describe('sori plot', () => {
  it('trellis: T′ × (2U + 1) cells per panel for the utterance and --text', async () => {
    const spec = await plotSpec({ ...base, picture: 'trellis', inputs: [wav], model: modelDir, text: '안녕하세요' });
    const svg = await renderSvg(spec);
    // T′ by hand: 25 ms windows every 10 ms at 16 kHz (400 and 160 samples), two frames stacked
    const { samples } = await loadAudio(wav, { sampleRate: 16000 });
    const frames = Math.ceil(frameCount(samples.length, 400, 160) / 2);
    expect(markItems(svg, 'alpha_cells')).toHaveLength(frames * (2 * 5 + 1));
    expect(markItems(svg, 'beta_cells')).toHaveLength(frames * (2 * 5 + 1));
    expect(markItems(svg, 'alpha_path')).toHaveLength(frames);
  });

  it('alignment: the posteriorgram has T′ × C cells and T′ path points', async () => {
    const svg = await renderSvg(await plotSpec({ ...base, picture: 'alignment', inputs: [wav], model: modelDir, text: '안녕하세요' }));
    const frames = markItems(svg, 'alignment_path').length;
    expect(markItems(svg, 'posterior_cells')).toHaveLength(frames * symbols.length);
  });

  it('curves: one point per epoch of exp/NAME/train-history.json', async () => {
    const expDir = mkdtempSync(join(tmpdir(), 'sori-plot-exp-'));
    const history = [1, 2, 3, 4, 5].map((epoch) => ({ epoch, loss: 1 / epoch, score: 0.2 / epoch }));
    writeFileSync(join(expDir, 'train-history.json'), JSON.stringify({ epoch: 5, best: 0.04, bestEpoch: 5, history }));
    const svg = await renderSvg(await plotSpec({ ...base, picture: 'curves', inputs: [expDir], scoreTitle: 'CER (%)', scoreScale: 100 }));
    expect(markItems(svg, 'curve_points_1')).toHaveLength(5);
    expect(svg).toContain('CER (%)');
  });

  it('names what is missing: --text for a trellis, train-history.json for curves', async () => {
    await expect(plotSpec({ ...base, picture: 'trellis', inputs: [wav], model: modelDir })).rejects.toThrow(/--text is required/);
    await expect(plotSpec({ ...base, picture: 'curves', inputs: [tmpdir()] })).rejects.toThrow(/no train-history.json/);
    await expect(plotSpec({ ...base, picture: 'alignment', inputs: [wav] })).rejects.toThrow(/--model DIR is required/);
  });
});


describe('sori plot attention from JSON', () => {
  it('draws U × T cells from the first entry of a sori translate --attention file', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sori-att-')), 'att.json');
    const entry = { source: 'a b', translation: '가', sourceTokens: ['a', 'b', '<eos>'], targetTokens: ['가', '<eos>'], attention: [[0.5, 0.5, 0], [0, 0, 1]] };
    writeFileSync(path, JSON.stringify([entry]));
    const svg = await renderSvg(await plotSpec({ ...base, picture: 'attention', inputs: [path] }));
    expect(markItems(svg, 'attention_cells')).toHaveLength(2 * 3);
  });
  it('names a file that is not such a list', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sori-att-')), 'x.json');
    writeFileSync(path, '{"a": 1}');
    await expect(plotSpec({ ...base, picture: 'attention', inputs: [path] })).rejects.toThrow(/x\.json: expected an array of/);
  });
});
