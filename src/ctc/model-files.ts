/**
 * CTC model directories on disk (Node only): `DIR/model.json` (the card: config, symbols,
 * feature settings) and `DIR/weights.safetensors`. model-url.ts reads the same directory over HTTP.
 */
import { join } from 'node:path';
import { removeStaleTemporaries, writeJsonAtomic } from '../io/atomic.ts';
import { readModelBytes, readModelJson } from '../io/model-dir.ts';
import { saveWeights } from '../io/weights.ts';
import { ctcModelFromCard, ctcModelWeights, type CtcModel, type CtcModelCard } from './acoustic-model.ts';
import { createRecognizer, type Recognizer } from './recognizer.ts';

/** Write `dir/model.json` and `dir/weights.safetensors` (each atomically). */
export function saveCtcModel(dir: string, model: CtcModel, card: Omit<CtcModelCard, 'model'>): void {
  removeStaleTemporaries(dir); // what a save killed mid-write left
  saveWeights(join(dir, 'weights.safetensors'), ctcModelWeights(model));
  writeJsonAtomic(join(dir, 'model.json'), { model: model.config, ...card });
}

/**
 * Load a model directory written by saveCtcModel: both files must be regular files (no symbolic
 * links, FIFOs or devices); ctcModelFromCard checks their contents before building the model.
 */
export function loadCtcModel(dir: string): { model: CtcModel; card: CtcModelCard } {
  const card = readModelJson(dir, 'model.json') as CtcModelCard;
  return ctcModelFromCard(card, readModelBytes(dir, 'weights.safetensors'), join(dir, 'weights.safetensors'));
}

/** Load the recogniser stored in `modelDir`. */
export function loadRecognizer(modelDir: string): Recognizer {
  return createRecognizer(loadCtcModel(modelDir));
}
