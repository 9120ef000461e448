/**
 * CTC model directories over HTTP (browser and Node alike): the files saveCtcModel writes,
 * fetched from a base URL (`https://…/model/` or, in a page, a relative 'models/annyeong/').
 */
import { fetchAll, fetchBytes, fetchJson, fileUrl } from '../io/fetch.ts';
import { ctcModelFromCard, type CtcModel, type CtcModelCard } from './acoustic-model.ts';
import { createRecognizer, type Recognizer } from './recognizer.ts';

/** Fetch `base/model.json` and `base/weights.safetensors` and build the model they describe. */
export async function fetchCtcModel(base: string | URL): Promise<{ model: CtcModel; card: CtcModelCard }> {
  const [card, weights] = await fetchAll<[CtcModelCard, Uint8Array]>([fetchJson<CtcModelCard>(base, 'model.json'), fetchBytes(base, 'weights.safetensors')]);
  return ctcModelFromCard(card, weights, String(fileUrl(base, 'weights.safetensors')));
}

/** The recogniser of the model directory at `base` (see fetchCtcModel). */
export async function fetchRecognizer(base: string | URL): Promise<Recognizer> {
  return createRecognizer(await fetchCtcModel(base));
}
