/**
 * Checks of a model directory's contents before anything is allocated (pure: no files, so the
 * browser's fetched model directories get them too): required fields by type, and the size of the
 * model a model.json describes against the size of its weights, so a `hiddenSize: 20000` costs a
 * message, not 4.8 GB. Config values are checked by their stated ranges (config-ranges.ts).
 */

export type FieldType = 'object' | 'array' | 'string' | 'number' | 'boolean';

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/**
 * Throw unless `value` is an object holding each field of `fields` with its type; `source`
 * names the file (and the object within it) in the message.
 */
export function requireFields(value: unknown, fields: Record<string, FieldType>, source: string): void {
  if (typeOf(value) !== 'object') throw new Error(`${source}: expected an object, got ${typeOf(value)}`);
  const obj = value as Record<string, unknown>;
  for (const [key, type] of Object.entries(fields)) {
    if (!(key in obj)) throw new Error(`${source}: required field '${key}' is missing`);
    if (typeOf(obj[key]) !== type) throw new Error(`${source}: field '${key}' must be ${type === 'array' ? 'an' : 'a'} ${type}, got ${typeOf(obj[key])}`);
  }
}

/** The field types of a config object, read off its defaults. */
export function fieldTypesOf(defaults: Record<string, unknown>): Record<string, FieldType> {
  return Object.fromEntries(Object.entries(defaults).map(([k, v]) => [k, typeOf(v) as FieldType]));
}

/**
 * Throw unless `bytes` (the weights file's size) holds at least `weights` F32 values: called
 * before a model of `weights` parameters is built from `cardSource` (its model.json).
 */
export function checkWeightBytes(weights: number, bytes: number, weightsSource: string, cardSource: string): void {
  if (4 * weights > bytes) {
    throw new Error(`${cardSource}: describes a model of ${weights} weights (${4 * weights} bytes) but ${weightsSource} holds ${bytes} bytes`);
  }
}

/** Recurrent weights of an RnnStack: Σ_l D · G·H · (in_l + H + 2), in_l = inputSize (l = 0) or H·D. */
export function rnnStackWeightCount(
  { cell, inputSize, hiddenSize: H, numLayers, bidirectional }: { cell: string; inputSize: number; hiddenSize: number; numLayers: number; bidirectional: boolean },
): number {
  const G = { simple: 1, lstm: 4, gru: 3, mgu: 2 }[cell] ?? 1;
  const D = bidirectional ? 2 : 1;
  let n = 0;
  for (let l = 0; l < numLayers; l++) n += D * G * H * ((l === 0 ? inputSize : H * D) + H + 2);
  return n;
}

/** The model.json beside a weights file named `weightsSource` (a path or URL), for messages. */
export function cardSourceOf(weightsSource: string): string {
  return weightsSource.replace(/weights\.safetensors$/, 'model.json');
}
