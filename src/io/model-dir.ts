/**
 * Reading a model directory (model.json, weights.safetensors, vocabularies) before anything is
 * allocated: files must be regular files (no symbolic links, FIFOs or devices), JSON errors name
 * the file and never quote it, required fields are checked by type, config values by their
 * stated ranges (config-ranges.ts), and the size of the model a model.json describes is checked
 * against the size of its weights file, so a `hiddenSize: 20000` costs nothing but a message.
 */
import { existsSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonFile } from './read-file.ts';

/** The JSON file `name` of model directory `dir` (no symlinks, at most 64 MiB). */
export function readModelJson(dir: string, name: string): unknown {
  const path = join(dir, name);
  if (!existsSync(path) && !isSymlink(path)) throw new Error(`model directory '${dir}': no ${name} (${path} does not exist)`);
  return readJsonFile(path, { what: 'model file', followSymlinks: false });
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

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
 * Throw unless `dir/weights.safetensors` is a regular file of at least `4 · weights` bytes (F32):
 * called before a model of `weights` parameters is built from model.json.
 */
export function checkWeightsFileHolds(dir: string, weights: number): void {
  const path = join(dir, 'weights.safetensors');
  let size: number;
  try {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) throw new Error(`weights file '${path}' is a symbolic link: model files must be regular files`);
    if (!stat.isFile()) throw new Error(`weights file '${path}' is not a regular file`);
    size = stat.size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`weights file '${path}' does not exist`);
    throw err;
  }
  if (4 * weights > size) {
    throw new Error(
      `${join(dir, 'model.json')}: describes a model of ${weights} weights (${4 * weights} bytes) but ${path} holds ${size} bytes`,
    );
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
