/**
 * What '@tensorflow/tfjs' stands for inside the browser bundle (an esbuild alias, scripts/build.mjs):
 * tfjs-core, whose ops, gradients, variables and optimizers are all sori uses, with the cpu backend
 * registered. The wasm backend is imported by initBackend. Leaving out tfjs-layers, -converter,
 * -data and -backend-webgl shrinks the bundle from 3.4 MB to about a third.
 */
import '@tensorflow/tfjs-backend-cpu';
import { version_core } from '@tensorflow/tfjs-core';

export * from '@tensorflow/tfjs-core';

/** Like @tensorflow/tfjs's `version`, for the parts the bundle holds. */
export const version = { 'tfjs-core': version_core, tfjs: version_core };
