/**
 * Loading sori's polyphase resampling module (src/native/audio-resample.c), compiled to
 * WebAssembly SIMD128 by `npm run build:native`; the bytes are embedded in audio-resample.wasm.ts.
 * What it computes and how its memory is laid out: src/audio/sinc-resample.ts, which calls it.
 */
import { wasmBase64 } from './audio-resample.wasm.ts';
import { embeddedModule, kernelExports } from './embedded-module.ts';

type Ptr = number;

export interface ResampleKernel {
  memory: WebAssembly.Memory;
  heapBase: Ptr;
  resample_polyphase(x: Ptr, count: number, orig: number, newRate: number, K: number, first: Ptr, h: Ptr, y: Ptr): void;
  /** The first index i < n with x[i] not finite, or −1. */
  first_nonfinite(x: Ptr, n: number): number;
}

const module = embeddedModule(wasmBase64, kernelExports<ResampleKernel>(['resample_polyphase', 'first_nonfinite']));

/** The kernel, compiled on first use (or by loadResampleKernel); null where it cannot load or SORI_NATIVE=0. */
export const resampleKernel = (): ResampleKernel | null => module.get();

/** Compile the kernel asynchronously (initBackend does); resolves to resampleKernel(). */
export const loadResampleKernel = (): Promise<ResampleKernel | null> => module.load();
