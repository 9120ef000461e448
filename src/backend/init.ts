/**
 * The tensor engine sori runs on.
 *
 * Three TensorFlow.js backends, fastest first:
 *   - `node`: libtensorflow through `@tensorflow/tfjs-node` (an optional dependency: its
 *     installer downloads libtensorflow, so it is often absent);
 *   - `wasm`: `@tensorflow/tfjs-backend-wasm`, whose .wasm ships inside the npm package (default);
 *   - `cpu`: plain JavaScript, the last fallback.
 *
 * `initBackend()` picks the engine named by its argument, else by `SORI_BACKEND`, else the
 * fastest that loads. Every CLI command takes `--backend node|wasm|cpu`.
 */
import * as tf from '@tensorflow/tfjs';
import { loadNativeModules } from '../native/modules.ts';

export const BACKENDS = ['node', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

function parseBackend(value: string, source: string): BackendName {
  if ((BACKENDS as readonly string[]).includes(value)) return value as BackendName;
  throw new Error(`${source}: unknown backend '${value}' (expected one of ${BACKENDS.join(', ')})`);
}

async function tryLoad(name: BackendName): Promise<string | null> {
  try {
    if (name === 'node') {
      if (typeof process === 'undefined' || !process.versions?.node) return 'not running in Node';
      // Registers the 'tensorflow' backend on the shared tfjs-core.
      await import(/* @vite-ignore */ '@tensorflow/tfjs-node' as string);
      return (await tf.setBackend('tensorflow')) ? null : 'tfjs-node registered no backend';
    }
    if (name === 'wasm') {
      await import('@tensorflow/tfjs-backend-wasm');
      return (await tf.setBackend('wasm')) ? null : 'the wasm backend failed to initialise';
    }
    return (await tf.setBackend('cpu')) ? null : 'the cpu backend failed to initialise';
  } catch (err) {
    return (err as Error).message.split('\n')[0];
  }
}

/** What `initBackend` chose and why the faster ones were passed over. */
export interface BackendInfo {
  /** The sori name of the engine in use. */
  name: BackendName;
  /** TensorFlow.js's own name for it ('tensorflow', 'wasm', 'cpu'). */
  tfName: string;
  /** Engines that were tried first and failed, with the reason. */
  skipped: { name: BackendName; reason: string }[];
}

let current: BackendInfo | null = null;

/**
 * Select and initialise the tensor backend.
 *
 * @param requested 'node' | 'wasm' | 'cpu'; when omitted, `process.env.SORI_BACKEND` (Node); when
 *   that is unset too, the first of node → wasm → cpu that loads. A named backend that fails
 *   to load is an error (no silent fallback).
 */
export async function initBackend(requested?: string): Promise<BackendInfo> {
  const fromEnv = typeof process !== 'undefined' ? process.env?.SORI_BACKEND : undefined; // none in a browser
  const name = requested
    ? parseBackend(requested, '--backend')
    : fromEnv
      ? parseBackend(fromEnv, 'SORI_BACKEND')
      : null;
  if (current && (name === null || current.name === name)) return current;
  const order: BackendName[] = name ? [name] : [...BACKENDS];
  const skipped: BackendInfo['skipped'] = [];
  for (const candidate of order) {
    const reason = await tryLoad(candidate);
    if (reason === null) {
      await tf.ready();
      // sori's own WebAssembly SIMD kernels (src/native): RNN, cross-entropy, MFCC frames
      await loadNativeModules();
      current = { name: candidate, tfName: tf.getBackend(), skipped };
      return current;
    }
    skipped.push({ name: candidate, reason });
  }
  const why = skipped.map((s) => `${s.name}: ${s.reason}`).join('; ');
  throw new Error(`no tensor backend could be loaded (${why})`);
}

/** The backend chosen by the last `initBackend`, or null before it ran. */
export function backendInfo(): BackendInfo | null {
  return current;
}
