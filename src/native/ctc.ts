/**
 * Loading sori's CTC module (src/native/ctc.c), compiled to WebAssembly by `npm run build:native`;
 * the bytes are embedded in ctc.wasm.ts. What it computes and how its memory is laid out:
 * src/ctc/native-forward-backward.ts, which calls it.
 */
import { wasmBase64 } from './ctc.wasm.ts';
import { embeddedModule, kernelExports } from './embedded-module.ts';

type Ptr = number;

export interface CtcKernel {
  memory: WebAssembly.Memory;
  heapBase: Ptr;
  /** 0, or 1 where the caller must fall back to the log-space recursions (ctc.c). */
  ctc_sample(
    z: Ptr, T: number, C: number, ext: Ptr, skip: Ptr, S: number, wantGrad: 0 | 1, scale: number,
    grad: Ptr, y: Ptr, alphaHat: Ptr, beta: Ptr, before: Ptr, occupancy: Ptr, out: Ptr,
  ): number;
}

const module = embeddedModule(wasmBase64, kernelExports<CtcKernel>(['ctc_sample']));

/** The kernel, compiled on first use (or by loadCtcKernel); null where it cannot load or SORI_NATIVE=0. */
export const ctcKernel = (): CtcKernel | null => module.get();

/** Compile the kernel asynchronously (initBackend does); resolves to ctcKernel(). */
export const loadCtcKernel = (): Promise<CtcKernel | null> => module.load();
