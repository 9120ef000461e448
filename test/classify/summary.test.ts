// The lecture's labs as configs of the imdb recipe: their parameter counts are the ones the
// lecture's Keras summaries print (320,000 / 2,080 / 8,320 / 33), and PyTorch's two-bias layout
// gives 2,112 and 8,448.
import { describe, expect, it } from 'vitest';
import { createClassifier, disposeClassifier, summary, summaryRows, type ClassifierConfig } from '../../src/index.ts';
import type { ClassificationRecipeConfig } from '../../recipes/classification/recipe.ts';
import { configs } from '../../recipes/imdb/config.ts';

/** The model a lab config trains (vocabulary full at its top-N size, as on IMDB). */
function labModel(cfg: ClassificationRecipeConfig, over: Partial<ClassifierConfig> = {}) {
  return createClassifier({ ...cfg.model, vocabSize: cfg.text.vocabSize, numClasses: 2, maxLength: cfg.text.maxLength, ...over }, { seed: 1 });
}

describe('lab parameter counts', () => {
  it('lab2 (Embedding(10000, 32) → SimpleRNN(32) → Dense(1)): 320,000 / 2,080 / 33', () => {
    const m = labModel(configs.lab2);
    expect(summaryRows(m).map((r) => r.params)).toEqual([320000, 2080, 33]);
    disposeClassifier(m);
  });

  it('lab3 (Embedding(10000, 32) → LSTM(32) → Dense(1)): 320,000 / 8,320 / 33', () => {
    const m = labModel(configs.lab3);
    expect(summaryRows(m).map((r) => r.params)).toEqual([320000, 8320, 33]);
    disposeClassifier(m);
  });

  it("with PyTorch's two biases: SimpleRNN 2,112, LSTM 8,448", () => {
    const simple = labModel(configs.lab2, { biases: 'two' });
    const lstm = labModel(configs.lab3, { biases: 'two' });
    expect(summaryRows(simple)[1].params).toBe(2112);
    expect(summaryRows(lstm)[1].params).toBe(8448);
    disposeClassifier(simple);
    disposeClassifier(lstm);
  });

  it('lab1 (Embedding(10000, 8) on 20 words → Flatten → Dense(1)): 80,000 / 0 / 161', () => {
    const m = labModel(configs.lab1);
    const rows = summaryRows(m);
    expect(rows.map((r) => r.params)).toEqual([80000, 0, 161]);
    expect(rows.map((r) => r.outputShape)).toEqual([[null, 20, 8], [null, 160], [null, 1]]);
    disposeClassifier(m);
  });

  it('prints a Keras-style table with output shapes and the total', () => {
    const m = labModel(configs.lab3);
    const text = summary(m);
    expect(text).toMatch(/embedding \(Embedding\)\s+\(None, None, 32\)\s+320,000/);
    expect(text).toMatch(/lstm \(LSTM\)\s+\(None, 32\)\s+8,320/);
    expect(text).toMatch(/dense \(Dense\)\s+\(None, 1\)\s+33/);
    expect(text).toMatch(/Total params: 328,353/);
    disposeClassifier(m);
  });
});
