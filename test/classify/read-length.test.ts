// A text classifier reads text.maxLength units per text at inference (T_read), the model's
// maxLength (the training cut) by default; 'flatten' reads exactly maxLength.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createClassifier, disposeClassifier, loadTextClassifier, saveTextClassifier, textClassifier, topVocabulary } from '../../src/index.ts';
import { smallConfig } from './helpers.ts';

// 4 special symbols + a, b, c: ids a = 4, b = 5, c = 6 (vocabSize 7 as smallConfig).
const vocabulary = topVocabulary([['a', 'a', 'a', 'b', 'b', 'c']], 7, 'word');
const text = 'a b c a b c a b c a'; // 10 words

describe('text classifier read length', () => {
  it('reads at most the model maxLength (6) by default, keeping the head', () => {
    const c = textClassifier(createClassifier(smallConfig(), { seed: 1 }), vocabulary, { unit: 'word', keep: 'head' }, ['0', '1']);
    expect(c.encode(text)).toEqual([4, 5, 6, 4, 5, 6]);
    c.dispose();
  });

  it('reads text.maxLength units when given (9 of 10, keeping the tail), and probabilities accept the longer rows', () => {
    const c = textClassifier(createClassifier(smallConfig(), { seed: 1 }), vocabulary, { unit: 'word', keep: 'tail', maxLength: 9 }, ['0', '1']);
    expect(c.encode(text)).toEqual([5, 6, 4, 5, 6, 4, 5, 6, 4]);
    const [p] = c.probabilities([text]);
    expect(p[0] + p[1]).toBeCloseTo(1, 6);
    c.dispose();
  });

  it('keeps text.maxLength through save and load', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sori-read-length-'));
    const c = textClassifier(createClassifier(smallConfig(), { seed: 1 }), vocabulary, { unit: 'word', keep: 'head', maxLength: 8 }, ['0', '1']);
    saveTextClassifier(dir, c);
    c.dispose();
    const loaded = loadTextClassifier(dir);
    expect(loaded.encode(text)).toHaveLength(8);
    loaded.dispose();
  });

  it("'flatten' with a read length other than maxLength is an error naming text.maxLength and the value", () => {
    const model = createClassifier(smallConfig({ encoder: 'none', pooling: 'flatten' }), { seed: 1 });
    expect(() => textClassifier(model, vocabulary, { unit: 'word', keep: 'head', maxLength: 9 }, ['0', '1'])).toThrow(/text\.maxLength.*flatten.*9/);
    disposeClassifier(model);
  });
});
