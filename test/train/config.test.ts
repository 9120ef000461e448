import { describe, expect, it } from 'vitest';
import { parseRecipeArgs, resolveConfig } from '../../src/index.ts';

const defaults = {
  model: { cell: 'gru', hidden: 128, bidirectional: true, layers: [2, 3] },
  train: { lr: 0.001, epochs: 10 },
};

describe('resolveConfig', () => {
  it('overrides a dotted key with a value parsed by the default type', () => {
    const c = resolveConfig(defaults, ['model.hidden=64', 'model.bidirectional=false', 'train.lr=3e-4']);
    expect(c.model.hidden).toBe(64);
    expect(c.model.bidirectional).toBe(false);
    expect(c.train.lr).toBeCloseTo(3e-4);
    expect(c.model.cell).toBe('gru');
  });

  it('leaves the defaults object untouched', () => {
    resolveConfig(defaults, { 'model.hidden': '8' });
    expect(defaults.model.hidden).toBe(128);
  });

  it('parses arrays from JSON or comma lists', () => {
    expect(resolveConfig(defaults, { 'model.layers': '4,5,6' }).model.layers).toEqual([4, 5, 6]);
    expect(resolveConfig(defaults, { 'model.layers': '[7]' }).model.layers).toEqual([7]);
  });

  it('rejects an unknown key, naming it', () => {
    expect(() => resolveConfig(defaults, { 'model.hiden': '64' })).toThrow(/unknown config key 'model.hiden'/);
  });

  it('rejects a section given as a leaf', () => {
    expect(() => resolveConfig(defaults, { model: '1' })).toThrow(/unknown config key 'model'/);
  });

  it('rejects a value of the wrong type, naming the key and value', () => {
    expect(() => resolveConfig(defaults, { 'train.epochs': 'ten' })).toThrow(/--train.epochs: expected a number, got 'ten'/);
    expect(() => resolveConfig(defaults, { 'model.bidirectional': 'yes' })).toThrow(/expected true or false/);
  });
});

describe('parseRecipeArgs', () => {
  it('reads stages, resume, the experiment directory and config overrides', () => {
    const a = parseRecipeArgs('toy', ['--stage', '2', '--stop-stage=3', '--resume', '--model.hidden=32', '--train.epochs', '4'], defaults);
    expect(a).toMatchObject({ stage: 2, stopStage: 3, resume: true, expDir: 'exp/toy' });
    expect(a.config.model.hidden).toBe(32);
    expect(a.config.train.epochs).toBe(4);
  });

  it('maps a recipe alias onto its config key', () => {
    const a = parseRecipeArgs('toy', ['--cell', 'lstm'], defaults, { cell: 'model.cell' });
    expect(a.config.model.cell).toBe('lstm');
  });

  it('rejects an unknown plain flag', () => {
    expect(() => parseRecipeArgs('toy', ['--epochs', '3'], defaults)).toThrow(/unknown flag --epochs/);
  });

  it('rejects a non-integer stage', () => {
    expect(() => parseRecipeArgs('toy', ['--stage', 'x'], defaults)).toThrow(/--stage expects an integer, got 'x'/);
  });
});
