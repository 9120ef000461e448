/**
 * Loading sori's polyphase resampling module (src/native/audio-resample.c), compiled to
 * WebAssembly SIMD128 by `npm run build:native`; the bytes are embedded in audio-resample.wasm.ts.
 * What it computes and how its memory is laid out: src/audio/sinc-resample.ts, which calls it.
 */
import { wasmBase64 } from './audio-resample.wasm.ts';
import { embeddedModule } from './embedded-module.ts';

type Ptr = number;

export interface ResampleKernel {
  memory: WebAssembly.Memory;
  heapBase: Ptr;
  resample_polyphase(x: Ptr, count: number, orig: number, newRate: number, K: number, first: Ptr, h: Ptr, y: Ptr): void;
  /** The first index i < n with x[i] not finite, or −1. */
  first_nonfinite(x: Ptr, n: number): number;
}

function instantiate(module: WebAssembly.Module): ResampleKernel {
  const exports = new WebAssembly.Instance(module, {}).exports as Record<string, unknown>;
  return {
    memory: exports.memory as WebAssembly.Memory,
    heapBase: (exports.__heap_base as WebAssembly.Global).value as number,
    resample_polyphase: exports.resample_polyphase as ResampleKernel['resample_polyphase'],
    first_nonfinite: exports.first_nonfinite as ResampleKernel['first_nonfinite'],
  };
}

const module = embeddedModule(wasmBase64, instantiate);

/** The kernel, compiled on first use (or by loadResampleKernel); null where it cannot load or SORI_NATIVE=0. */
export const resampleKernel = (): ResampleKernel | null => module.get();

/** Compile the kernel asynchronously (initBackend does); resolves to resampleKernel(). */
export const loadResampleKernel = (): Promise<ResampleKernel | null> => module.load();
