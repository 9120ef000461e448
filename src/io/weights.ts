/**
 * A model's named weights in a safetensors file: what inference reads (model directories) and
 * training writes (best and averaged weights). Node only (files); named-weights.ts is the pure part.
 */
import { readRegularFile } from './read-file.ts';
import { saveSafetensors } from './safetensors.ts';
import { assignWeightBytes, type NamedWeights } from './named-weights.ts';

export { assignNamed, assignWeightBytes } from './named-weights.ts';
export type { NamedWeights } from './named-weights.ts';

/** Save weights only (e.g. the best model) to `path`, atomically. */
export function saveWeights(path: string, weights: NamedWeights, metadata: Record<string, string> = {}): void {
  saveSafetensors(path, weights, metadata);
}

/** Assign the weights stored in `path` to `weights`; every name and shape must match. */
export function loadWeights(path: string, weights: NamedWeights): Record<string, string> {
  return assignWeightBytes(readRegularFile(path, { what: 'weights file' }), weights, path);
}
