import { describe, expect, it } from 'vitest';
import { parseRecipeArgs, resolveConfig } from '../../src/index.ts';
import { CONFIG_ENUMS, configRanges, validateConfig } from '../../src/io/config-ranges.ts';
import { CELL_KINDS } from '../../src/rnn/cell.ts';
import { ATTENTION_KINDS } from '../../src/seq2seq/attention.ts';
import { VOCABULARY_LEVELS } from '../../src/text/vocabulary.ts';

const defaults = {
  model: { cell: 'gru', hiddenSize: 64, numLayers: 1, dropout: 0 },
  train: { epochs: 4, batchSize: 64, learningRate: 0.005, selectBy: 'exact', seed: 1 },
  decode: { beam: 1 },
};

describe('config ranges', () => {
  it.each([
    ['train.epochs=1.5', /--train.epochs must be an integer in \[1, 100000\], got 1.5/],
    ['train.epochs=0', /--train.epochs must be an integer/],
    ['train.batchSize=0', /--train.batchSize must be an integer in \[1, 65536\], got 0/],
    ['train.learningRate=-0.1', /--train.learningRate must be a number in \(0, 10\], got -0.1/],
    ['train.selectBy=loss', /--train.selectBy must be one of exact, bleu, got "loss"/],
    ['model.cell=lstn', /--model.cell must be one of simple, lstm, gru, mgu/],
    ['model.hiddenSize=20000', /--model.hiddenSize must be an integer in \[1, 4096\], got 20000/],
    ['model.numLayers=100000', /--model.numLayers must be an integer in \[1, 16\]/],
    ['model.dropout=1', /--model.dropout must be a number in \[0, 1\)/],
    ['decode.beam=1000000', /--decode.beam must be an integer in \[1, 1024\]/],
  ])('refuses %s before anything is allocated, naming the key, range and value', (override, message) => {
    expect(() => resolveConfig(defaults, [override])).toThrow(message);
  });

  it('accepts values inside their ranges', () => {
    const c = resolveConfig(defaults, ['train.epochs=2', 'model.cell=lstm', 'train.learningRate=1e-4', 'decode.beam=8']);
    expect([c.train.epochs, c.model.cell, c.train.learningRate, c.decode.beam]).toEqual([2, 'lstm', 1e-4, 8]);
  });

  it('checks the defaults themselves too', () => {
    expect(() => resolveConfig({ train: { epochs: -1 } })).toThrow(/config: train.epochs must be an integer/);
  });

  it('checks each element of an array', () => {
    expect(() => validateConfig({ augment: { speeds: [0.9, -1] } }, 'x.json')).toThrow(/x.json: augment.speeds must be a number in \(0, 10\], got -1/);
  });

  it('lists the same cell kinds, attention kinds and token levels as the components', () => {
    expect([...CONFIG_ENUMS.cell]).toEqual([...CELL_KINDS]);
    expect([...CONFIG_ENUMS.attention]).toEqual([...ATTENTION_KINDS]);
    expect([...CONFIG_ENUMS.level]).toEqual([...VOCABULARY_LEVELS]);
    expect(configRanges.hiddenSize).toEqual({ int: true, min: 1, max: 4096 });
  });
});

describe('--resume', () => {
  it('takes true or false and refuses anything else (--resume=no used to mean resume)', () => {
    expect(parseRecipeArgs('r', ['--resume'], defaults).resume).toBe(true);
    expect(parseRecipeArgs('r', ['--resume=false'], defaults).resume).toBe(false);
    expect(() => parseRecipeArgs('r', ['--resume=no'], defaults)).toThrow(/--resume expects true or false, got 'no'/);
  });
});

describe('trainLoop options', () => {
  it('refuses a fractional epoch count and a negative learning rate before training', async () => {
    const { trainLoop } = await import('../../src/index.ts');
    const base = { dir: '/nonexistent/never-written', weights: {}, optimizer: null as never, batches: () => [], loss: () => null as never, validate: async () => ({ score: 0 }), log: () => {} };
    await expect(trainLoop({ ...base, epochs: 1.5 })).rejects.toThrow(/trainLoop: epochs must be an integer in \[1, 100000\], got 1.5/);
    await expect(trainLoop({ ...base, epochs: 1, learningRate: () => -1, optimizer: {} as never })).rejects.toThrow(/learning rate of epoch 1 must be a number in \(0, 10\], got -1/);
  });
});

describe('beam widths', () => {
  it('are capped at 1024 everywhere (checkBeam)', async () => {
    const { checkBeam } = await import('../../src/check.ts');
    expect(() => checkBeam(1_000_000, '--beam')).toThrow(/--beam: expected an integer in \[1, 1024\]/);
    expect(() => checkBeam(1024, '--beam')).not.toThrow();
  });
});
