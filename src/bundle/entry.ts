/**
 * The entry of the browser bundle dist/browser/sori.js (`npm run build`, scripts/build.mjs): the
 * browser entry with TensorFlow.js inside (re-exported as `tf`), so a page needs one import and no bundler:
 *
 *   import { tf, initBackend, fetchRecognizer } from './dist/browser/sori.js';
 *
 * The WebAssembly backend's .wasm files sit beside the bundle and are found relative to its URL.
 * In the bundle '@tensorflow/tfjs' is ./tfjs.ts (TensorFlow.js's core and cpu backend; wasm is
 * loaded by initBackend): the layers, converter, data and WebGL packages sori does not use stay out.
 */
import { env } from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

setWasmPaths(new URL('./', import.meta.url).href);
// One thread: the threaded .wasm needs a cross-origin isolated page, and is left out of dist/browser.
env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);

export * from '../browser.ts';
