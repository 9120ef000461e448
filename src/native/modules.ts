/**
 * Every WebAssembly module of sori's (src/native): the RNN and cross-entropy kernels, and the MFCC
 * frame loop. initBackend compiles them asynchronously (browsers refuse synchronous compiles of
 * this size on the main thread); without it each compiles synchronously on first use.
 */
import { loadNativeKernels } from './kernels.ts';
import { loadMfccKernel } from './mfcc.ts';
import { loadCtcKernel } from './ctc.ts';
import { loadResampleKernel } from './resample.ts';

/** Compile and instantiate every module; a module that cannot load is left off (its loader says why). */
export async function loadNativeModules(): Promise<void> {
  await Promise.all([loadNativeKernels(), loadMfccKernel(), loadCtcKernel(), loadResampleKernel()]);
}
