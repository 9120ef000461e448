/**
 * Translation model directories over HTTP (browser and Node alike): the files saveTranslator
 * writes, fetched from a base URL (ensemble members included).
 */
import { fetchAll, fetchBytes, fetchJson, fileUrl } from '../io/fetch.ts';
import type { VocabularyJSON } from '../text/vocabulary.ts';
import { translatorFromFiles, type Translator, type TranslatorCard } from './translator.ts';

/** Fetch the translator stored at `base` (model.json, both vocabularies, the weights files). */
export async function fetchTranslator(base: string | URL): Promise<Translator> {
  const [card, source, target, weights] = await fetchAll<[TranslatorCard, VocabularyJSON, VocabularyJSON, Uint8Array]>([
    fetchJson<TranslatorCard>(base, 'model.json'),
    fetchJson<VocabularyJSON>(base, 'source-vocabulary.json'),
    fetchJson<VocabularyJSON>(base, 'target-vocabulary.json'),
    fetchBytes(base, 'weights.safetensors'),
  ]);
  const memberWeights = await Promise.all(
    (card.members ?? []).map(async (m) => ({ bytes: await fetchBytes(base, m.weights), source: String(fileUrl(base, m.weights)) })),
  );
  return translatorFromFiles({ card, source, target, weights, weightsSource: String(fileUrl(base, 'weights.safetensors')), memberWeights });
}
