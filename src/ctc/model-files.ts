/**
 * CTC model directories on disk (Node only): `DIR/model.json` (the card: config, symbols,
 * feature settings) and `DIR/weights.safetensors`. model-url.ts reads the same directory over HTTP.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../io/atomic.ts';
import { saveWeights } from '../io/weights.ts';
import { ctcModelFromCard, ctcModelWeights, type CtcModel, type CtcModelCard } from './acoustic-model.ts';
import { createRecognizer, type Recognizer } from './recognizer.ts';

/** Write `dir/model.json` and `dir/weights.safetensors` (each atomically). */
export function saveCtcModel(dir: string, model: CtcModel, card: Omit<CtcModelCard, 'model'>): void {
  saveWeights(join(dir, 'weights.safetensors'), ctcModelWeights(model));
  writeJsonAtomic(join(dir, 'model.json'), { model: model.config, ...card });
}

/** Load a model directory written by saveCtcModel. */
export function loadCtcModel(dir: string): { model: CtcModel; card: CtcModelCard } {
  const cardPath = join(dir, 'model.json');
  if (!existsSync(cardPath)) throw new Error(`model directory '${dir}': no model.json`);
  const card = JSON.parse(readFileSync(cardPath, 'utf8')) as CtcModelCard;
  const weightsPath = join(dir, 'weights.safetensors');
  return ctcModelFromCard(card, readFileSync(weightsPath), weightsPath);
}

/** Load the recogniser stored in `modelDir`. */
export function loadRecognizer(modelDir: string): Recognizer {
  return createRecognizer(loadCtcModel(modelDir));
}
