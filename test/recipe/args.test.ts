/** The recipe command line's own flags: --force, --help/-h (the config keys with type and default). */
import { describe, expect, it } from 'vitest';
import { parseRecipeArgs } from '../../src/index.ts';

const defaults = {
  data: { corpus: 'corpora/toy', splits: ['dev', 'test'] },
  model: { hiddenSize: 64, bidirectional: true },
  train: { speeds: [0.9, 1.1] },
};

describe('parseRecipeArgs: --force and --help', () => {
  it('reads --force (false unless given)', () => {
    expect(parseRecipeArgs('toy', [], defaults).force).toBe(false);
    expect(parseRecipeArgs('toy', ['--stage', '4', '--force'], defaults).force).toBe(true);
  });

  it('--help and -h list every config key with its type and default, and ignore other flags', () => {
    for (const flag of ['--help', '-h']) {
      const a = parseRecipeArgs('toy', ['--model.hiddenSize=8', flag], defaults, { corpus: 'data.corpus' });
      expect(a.help).toBeDefined();
      const lines = a.help!.split('\n');
      expect(lines[0]).toMatch(/^Usage: sori recipe toy /);
      const row = (key: string) => lines.find((l) => l.trimStart().startsWith(key + ' '))?.trim().split(/\s{2,}/);
      expect(row('data.corpus')).toEqual(['data.corpus', 'string', '"corpora/toy"', '(alias --corpus)']);
      expect(row('data.splits')).toEqual(['data.splits', 'string[]', '["dev","test"]']);
      expect(row('model.hiddenSize')).toEqual(['model.hiddenSize', 'number', '64']);
      expect(row('model.bidirectional')).toEqual(['model.bidirectional', 'boolean', 'true']);
      expect(row('train.speeds')).toEqual(['train.speeds', 'number[]', '[0.9,1.1]']);
      expect(a.config.model.hiddenSize).toBe(64);
    }
  });
});
