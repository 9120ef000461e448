/**
 * sori (소리, "sound"): sequence-to-sequence and CTC models on TensorFlow.js.
 * This file is the public surface: recipes and the CLI use only what it exports.
 */
export { initBackend, backendInfo, BACKENDS } from './backend.ts';
export type { BackendName, BackendInfo } from './backend.ts';

// ---- train: configuration, recipes, checkpoints, the epoch loop (src/train) ----
export { resolveConfig, writeConfig, configKeys } from './train/config.ts';
export type { Config, ConfigValue } from './train/config.ts';
export { parseRecipeArgs } from './train/recipe-args.ts';
export type { RecipeArgs } from './train/recipe-args.ts';
export { runStages } from './train/stages.ts';
export type { Stage, StageRange } from './train/stages.ts';
export { writeFileAtomic, writeJsonAtomic } from './train/atomic.ts';
export { encodeSafetensors, decodeSafetensors, saveSafetensors, loadSafetensors } from './train/safetensors.ts';
export { saveWeights, loadWeights, saveCheckpoint, loadCheckpoint } from './train/checkpoint.ts';
export type { NamedWeights, TrainState } from './train/checkpoint.ts';
export { trainLoop, clipByGlobalNorm } from './train/train-loop.ts';
export type { TrainLoopOptions } from './train/train-loop.ts';
export { progressBar } from './train/progress.ts';
export type { Progress } from './train/progress.ts';
export { mulberry32, shuffled } from './train/random.ts';
