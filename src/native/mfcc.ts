/**
 * Loading sori's MFCC frame-loop module (src/native/audio-mfcc.c), compiled to WebAssembly
 * SIMD128 by `npm run build:native`; the bytes are embedded in audio-mfcc.wasm.ts. What the
 * module computes and how its memory is laid out: src/audio/mfcc-wasm.ts, which calls it.
 */
import { wasmBase64 } from './audio-mfcc.wasm.ts';
import { embeddedModule, kernelExports } from './embedded-module.ts';

type Ptr = number;

export interface MfccKernel {
  memory: WebAssembly.Memory;
  heapBase: Ptr;
  audio_mfcc_frames(
    x: Ptr, T: number, S: number, L: number, N: number, M: number, preemphasis: number, scale: number,
    w: Ptr, u: Ptr, segFirst: Ptr, segEnd: Ptr, at: Ptr, splitTw: Ptr, radix2Tw: Ptr, radix4Tw: Ptr,
    dct: Ptr, numCeps: number, useEnergy: number, scratch: Ptr, out: Ptr,
  ): void;
}

const module = embeddedModule(wasmBase64, kernelExports<MfccKernel>(['audio_mfcc_frames']));

/** The kernel, compiled on first use (or by loadMfccKernel); null where it cannot load or SORI_NATIVE=0. */
export const mfccKernel = (): MfccKernel | null => module.get();

/** Compile the kernel asynchronously (initBackend does); resolves to mfccKernel(). */
export const loadMfccKernel = (): Promise<MfccKernel | null> => module.load();

/** Why mfccKernel() is null ('' when it is not). */
export const mfccKernelUnavailable = (): string => module.unavailable();
