/**
 * The stated range of every configuration key the components share (the config vocabulary:
 * `hiddenSize`, `numLayers`, `epochs`, `learningRate`, …), checked by resolveConfig before a
 * recipe allocates anything, and by the model loaders on model.json. A key is looked up by its
 * last path element (`model.hiddenSize` → `hiddenSize`); keys not listed here are only checked
 * against the type of their default. README's "Reliability" section lists these ranges.
 */

/** A numeric range (`int`: integers only; `above`: strictly greater) or a set of strings. */
export type ConfigRange =
  | { int?: boolean; min?: number; above?: number; max?: number; below?: number }
  | { oneOf: readonly string[] };

const int = (min: number, max: number): ConfigRange => ({ int: true, min, max });

/** Cell kinds, attention kinds and token levels (test/train/config-ranges.test.ts keeps them in step with rnn/, seq2seq/ and text/). */
export const CONFIG_ENUMS = {
  cell: ['simple', 'lstm', 'gru', 'mgu'],
  attention: ['none', 'bahdanau', 'luong-dot', 'luong-general'],
  level: ['character', 'word'],
} as const;

export const configRanges: Record<string, ConfigRange> = {
  // model sizes
  hiddenSize: int(1, 4096),
  embeddingSize: int(1, 4096),
  attentionSize: int(1, 4096),
  inputSize: int(1, 4096),
  numLayers: int(1, 16),
  frameStack: int(1, 64),
  numClasses: int(2, 1_000_000),
  sourceVocabSize: int(5, 1_000_000),
  targetVocabSize: int(5, 1_000_000),
  dropout: { min: 0, below: 1 },
  cell: { oneOf: CONFIG_ENUMS.cell },
  attention: { oneOf: CONFIG_ENUMS.attention },
  sourceLevel: { oneOf: CONFIG_ENUMS.level },
  targetLevel: { oneOf: CONFIG_ENUMS.level },
  // training
  epochs: int(1, 100_000),
  batchSize: int(1, 65_536),
  learningRate: { above: 0, max: 10 },
  finalLearningRate: { above: 0, max: 10 },
  clipNorm: { min: 0, max: 1e6 },
  labelSmoothing: { min: 0, below: 1 },
  selectBy: { oneOf: ['exact', 'bleu'] },
  average: int(0, 1000),
  seed: int(0, 2 ** 31 - 1),
  minCount: int(1, 1_000_000),
  // decoding
  beam: int(1, 1024),
  demoSentences: int(0, 1_000_000),
  demoFiles: int(0, 1_000_000),
  // data
  direction: { oneOf: ['en-ko', 'ko-en'] },
  devSize: int(0, 100_000_000),
  testSize: int(0, 100_000_000),
  // audio features and augmentation
  sampleRate: int(4000, 192_000),
  bandRate: int(1000, 192_000),
  numCeps: int(1, 256),
  numMelBins: int(1, 256),
  frameLength: { above: 0, max: 1000 },
  frameShift: { above: 0, max: 1000 },
  deltaOrder: int(0, 2),
  freqMasks: int(0, 100),
  freqWidth: int(0, 1000),
  timeMasks: int(0, 100),
  timeWidth: int(0, 100_000),
  fraction: { min: 0, max: 100 },
  speeds: { above: 0, max: 10 },
  snrs: { min: -100, max: 200 },
  noiseOnTop: { min: 0, max: 1 },
};

/** The range of `range` in words: 'an integer in [1, 4096]', 'a number in (0, 10]', 'one of a, b'. */
export function describeRange(range: ConfigRange): string {
  if ('oneOf' in range) return `one of ${range.oneOf.join(', ')}`;
  const lo = range.above !== undefined ? `(${range.above}` : `[${range.min ?? '-∞'}`;
  const hi = range.below !== undefined ? `${range.below})` : `${range.max ?? '∞'}]`;
  return `${range.int ? 'an integer' : 'a number'} in ${lo}, ${hi}`;
}

function fits(value: unknown, range: ConfigRange): boolean {
  if ('oneOf' in range) return typeof value === 'string' && range.oneOf.includes(value);
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  if (range.int && !Number.isInteger(value)) return false;
  if (range.min !== undefined && value < range.min) return false;
  if (range.above !== undefined && !(value > range.above)) return false;
  if (range.max !== undefined && value > range.max) return false;
  if (range.below !== undefined && !(value < range.below)) return false;
  return true;
}

/** Throw unless `value` (one element for arrays) fits the range of `key`; `name` is how the message names it. */
export function checkConfigValue(name: string, key: string, value: unknown): void {
  const range = configRanges[key];
  if (!range) return;
  for (const v of Array.isArray(value) ? value : [value]) {
    if (!fits(v, range)) throw new Error(`${name} must be ${describeRange(range)}, got ${JSON.stringify(v) ?? String(v)}`);
  }
}

/**
 * Throw unless every leaf of `config` whose key has a stated range lies in it (arrays: each
 * element). `where` prefixes the message (e.g. a file name); keys are named by their dotted path.
 */
export function validateConfig(config: object, where = 'config', prefix = ''): void {
  for (const [key, value] of Object.entries(config)) {
    const path = prefix + key;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      validateConfig(value, where, path + '.');
      continue;
    }
    checkConfigValue(`${where}: ${path}`, key, value);
  }
}
