/**
 * Loading sori's native kernels (src/native/kernels.c: the recurrent cells, the matrix products
 * around them, softmax cross-entropy), compiled to WebAssembly SIMD128 by `npm run build:native`;
 * the bytes are embedded in kernels.wasm.ts, so nothing is read or fetched.
 *
 * The module has its own linear memory. Pointers are byte offsets into it, handed out by `heap`
 * (alloc / release). Growing the memory detaches earlier views: take views with `f32(ptr, n)`
 * after the last allocation.
 */
import { wasmBase64 } from './kernels.wasm.ts';
import { WasmHeap } from './heap.ts';

type Ptr = number;

export interface NativeKernels {
  /** Floats of B [K, N] packed for gemm_packed. */
  packed_size(K: number, N: number): number;
  /** Bp = B [K, N] packed in panels of 8 columns. */
  pack(K: number, N: number, B: Ptr, Bp: Ptr): void;
  /** C [M, N] = A [M, K] · B [K, N] (+ bias [N] unless 0) (+ C if accumulate), B packed by `pack`. */
  gemm_packed(M: number, N: number, K: number, A: Ptr, Bp: Ptr, bias: Ptr, C: Ptr, accumulate: 0 | 1): void;
  /** The same with B unpacked; scratch holds packed_size(K, N) floats. */
  gemm(M: number, N: number, K: number, A: Ptr, B: Ptr, bias: Ptr, C: Ptr, accumulate: 0 | 1, scratch: Ptr): void;
  /** out [N, M] = Aᵀ for A [M, N]. */
  transpose(M: number, N: number, A: Ptr, out: Ptr): void;
  /** out [N] = Σ_m A[m, ·] (+ out if accumulate) for A [M, N]. */
  column_sums(M: number, N: number, A: Ptr, out: Ptr, accumulate: 0 | 1): void;
  simple_forward(B: number, H: number, relu: 0 | 1, P: Ptr, A: Ptr, out: Ptr): void;
  simple_backward(B: number, H: number, relu: 0 | 1, h: Ptr, dh: Ptr, da: Ptr): void;
  lstm_forward(B: number, H: number, P: Ptr, A: Ptr, cPrev: Ptr, out: Ptr): void;
  lstm_backward(B: number, H: number, saved: Ptr, dh: Ptr, dc: Ptr, dA: Ptr, dcPrev: Ptr): void;
  gru_forward(B: number, H: number, P: Ptr, A: Ptr, hPrev: Ptr, out: Ptr): void;
  gru_backward(B: number, H: number, saved: Ptr, dh: Ptr, dP: Ptr, dA: Ptr, dhPrev: Ptr): void;
  gru_lecture_gates(B: number, H: number, P: Ptr, A: Ptr, hPrev: Ptr, out: Ptr): void;
  gru_lecture_candidate(B: number, H: number, P: Ptr, un: Ptr, out: Ptr): void;
  gru_lecture_back_candidate(B: number, H: number, saved: Ptr, dh: Ptr, dG: Ptr): void;
  gru_lecture_back_gates(B: number, H: number, saved: Ptr, dh: Ptr, dG: Ptr, dResetH: Ptr, dP: Ptr, dA: Ptr, dhPrev: Ptr): void;
  mgu_gates(B: number, H: number, P: Ptr, A: Ptr, hPrev: Ptr, out: Ptr): void;
  mgu_candidate(B: number, H: number, P: Ptr, un: Ptr, out: Ptr): void;
  mgu_back_candidate(B: number, H: number, saved: Ptr, dh: Ptr, dG: Ptr): void;
  mgu_back_gates(B: number, H: number, saved: Ptr, dh: Ptr, dG: Ptr, dForgetH: Ptr, dP: Ptr, dA: Ptr, dhPrev: Ptr): void;
  /**
   * Softmax cross-entropy with label smoothing ε per row of z [N, V] (cross-entropy.h): targets
   * [N] int32, weights [N] → loss [N] (weighted), and grad [N, V] unless 0.
   */
  softmax_cross_entropy(N: number, V: number, z: Ptr, targets: Ptr, weights: Ptr, eps: number, loss: Ptr, grad: Ptr): void;
  /** Blocks of the module's memory (heap.ts). */
  heap: WasmHeap;
  /** A Float32Array view of n floats at ptr (valid until the next allocation grows memory). */
  f32(ptr: Ptr, n: number): Float32Array;
  /** An Int32Array view of n ints at ptr (same validity). */
  i32(ptr: Ptr, n: number): Int32Array;
}

let loaded: NativeKernels | null | undefined;
let failure = '';

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  if (typeof Buffer !== 'undefined') return new Uint8Array(Buffer.from(text, 'base64'));
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function instantiate(module: WebAssembly.Module): NativeKernels {
  const exports = new WebAssembly.Instance(module, {}).exports as Record<string, unknown>;
  const memory = exports.memory as WebAssembly.Memory;
  const heapBase = (exports.__heap_base as WebAssembly.Global).value as number;
  return {
    ...(exports as unknown as Omit<NativeKernels, 'heap' | 'f32' | 'i32'>),
    heap: new WasmHeap(memory, heapBase),
    f32(ptr, n) {
      return new Float32Array(memory.buffer, ptr, n);
    },
    i32(ptr, n) {
      return new Int32Array(memory.buffer, ptr, n);
    },
  };
}

function turnedOff(): boolean {
  const env = typeof process !== 'undefined' ? process.env?.SORI_NATIVE : undefined;
  if (env !== '0') return false;
  failure = 'turned off by SORI_NATIVE=0';
  return true;
}

function failed(err: unknown): null {
  failure = `WebAssembly SIMD module failed to load: ${(err as Error).message}`;
  return null;
}

/**
 * The kernels; null where WebAssembly SIMD is unavailable (then `nativeKernelsUnavailable()`
 * says why) or when `SORI_NATIVE=0` turns them off. Compiled synchronously on first use unless
 * `loadNativeKernels()` has compiled them already (browsers refuse to compile a module of this size
 * synchronously on the main thread: initBackend awaits loadNativeKernels for that reason).
 */
export function nativeKernels(): NativeKernels | null {
  if (loaded !== undefined) return loaded;
  if (turnedOff()) return (loaded = null);
  try {
    loaded = instantiate(new WebAssembly.Module(decodeBase64(wasmBase64)));
  } catch (err) {
    loaded = failed(err);
  }
  return loaded;
}

/** Compile the kernels asynchronously (allowed everywhere); resolves to nativeKernels(). */
export async function loadNativeKernels(): Promise<NativeKernels | null> {
  if (loaded !== undefined) return loaded;
  if (turnedOff()) return (loaded = null);
  try {
    const module = await WebAssembly.compile(decodeBase64(wasmBase64));
    if (loaded === undefined) loaded = instantiate(module);
  } catch (err) {
    if (loaded === undefined) loaded = failed(err);
  }
  return loaded;
}

/** Why nativeKernels() is null ('' when it is not). */
export function nativeKernelsUnavailable(): string {
  nativeKernels();
  return failure;
}
