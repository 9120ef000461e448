// Shared by the test/classify specs: a small classifier config with every field set.
import type { ClassifierConfig } from '../../src/index.ts';
import { classifierDefaults } from '../../src/index.ts';

export function smallConfig(over: Partial<ClassifierConfig> = {}): ClassifierConfig {
  return {
    ...classifierDefaults,
    vocabSize: 7,
    embeddingSize: 3,
    hiddenSize: 4,
    maxLength: 6,
    dropout: 0,
    ...over,
  };
}
