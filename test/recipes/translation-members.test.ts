/** train.members of the translation recipes: a list of model overrides, checked before training. */
import { describe, expect, it } from 'vitest';
import { checkMembers } from '../../recipes/translation/train.ts';
import { config } from '../../recipes/tatoeba/config.ts';
import type { TranslationRecipeConfig } from '../../recipes/translation/data.ts';

const withMembers = (members: unknown) => ({ ...config, train: { ...config.train, members } }) as unknown as TranslationRecipeConfig;

describe('train.members', () => {
  it("accepts tatoeba's default ensemble and a single model", () => {
    expect(() => checkMembers(withMembers(config.train.members))).not.toThrow();
    expect(() => checkMembers(withMembers([{}]))).not.toThrow();
    expect(() => checkMembers(withMembers([{}, { seed: 2, trainSeed: 2 }]))).not.toThrow();
  });

  it('names an empty list, a non-object entry and an unknown key', () => {
    expect(() => checkMembers(withMembers([]))).toThrow(/train.members: expected a non-empty list/);
    expect(() => checkMembers(withMembers([{}, 3]))).toThrow(/train.members\[1\]: expected an object, got 3/);
    expect(() => checkMembers(withMembers([{ tied: true }]))).toThrow(/train.members\[0\]: unknown key 'tied'/);
  });
});
