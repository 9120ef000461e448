/**
 * Translation model directories over HTTP (browser and Node alike): the four files
 * saveTranslator writes, fetched from a base URL.
 */
import { fetchBytes, fetchJson, fileUrl } from '../io/fetch.ts';
import type { VocabularyJSON } from '../text/vocabulary.ts';
import type { Seq2SeqConfig } from './model.ts';
import { translatorFromFiles, type Translator } from './translator.ts';

/** Fetch the translator stored at `base` (model.json, both vocabularies, weights.safetensors). */
export async function fetchTranslator(base: string | URL): Promise<Translator> {
  const [card, source, target, weights] = await Promise.all([
    fetchJson<{ model: Seq2SeqConfig }>(base, 'model.json'),
    fetchJson<VocabularyJSON>(base, 'source-vocabulary.json'),
    fetchJson<VocabularyJSON>(base, 'target-vocabulary.json'),
    fetchBytes(base, 'weights.safetensors'),
  ]);
  return translatorFromFiles({ card, source, target, weights, weightsSource: String(fileUrl(base, 'weights.safetensors')) });
}
