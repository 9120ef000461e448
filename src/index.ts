/**
 * sori (소리, "sound"): sequence-to-sequence and CTC models on TensorFlow.js.
 * This file is the public surface: recipes and the CLI use only what it exports.
 */
export { initBackend, backendInfo, BACKENDS } from './backend.ts';
export type { BackendName, BackendInfo } from './backend.ts';
