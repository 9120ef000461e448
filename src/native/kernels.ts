/**
 * Loading sori's native kernels (src/native/kernels.c: the recurrent cells, the matrix products
 * around them, softmax cross-entropy), compiled to WebAssembly SIMD128 by `npm run build:native`;
 * the bytes are embedded in kernels.wasm.ts, so nothing is read or fetched.
 *
 * Two variants of the same source: 'relaxed-simd' (kernels-fma.wasm.ts: the multiply-adds are
 * f32x4.relaxed_madd, fused where the CPU has FMA; relaxed-simd.ts) where the runtime validates
 * it and SORI_NATIVE_FMA is not 0, else 'simd' (kernels.wasm.ts). Results differ only in rounding.
 *
 * The module has its own linear memory. Pointers are byte offsets into it, handed out by `heap`
 * (alloc / release). Growing the memory detaches earlier views: take views with `f32(ptr, n)`
 * after the last allocation.
 */
import { wasmBase64 } from './kernels.wasm.ts';
import { wasmBase64 as fmaWasmBase64 } from './kernels-fma.wasm.ts';
import { WasmHeap } from './heap.ts';
import { embeddedModule } from './embedded-module.ts';
import { enableRelaxedSimd, relaxedSimdWanted } from './relaxed-simd.ts';

type Ptr = number;

export interface NativeKernels {
  /** Floats of B [K, N] packed for gemm_packed. */
  packed_size(K: number, N: number): number;
  /** Bp = B [K, N] packed in panels of 8 (simd) or 16 (relaxed-simd) columns. */
  pack(K: number, N: number, B: Ptr, Bp: Ptr): void;
  /** C [M, N] = A [M, K] · B [K, N] (+ bias [N] unless 0) (+ C if accumulate), B packed by `pack`. */
  gemm_packed(M: number, N: number, K: number, A: Ptr, Bp: Ptr, bias: Ptr, C: Ptr, accumulate: 0 | 1): void;
  /**
   * The same on a block of a larger product: A with row stride lda, C with row stride ldc; a block
   * of columns j0 … j0+N−1 (j0 a multiple of 8) is Bp + 4·j0·K, bias + 4·j0, C + 4·j0 (bytes).
   */
  gemm_packed_strided(M: number, N: number, K: number, A: Ptr, lda: number, Bp: Ptr, bias: Ptr, C: Ptr, ldc: number, accumulate: 0 | 1): void;
  /**
   * pack on a block of columns of a wider B [K, ·] (row stride ldb): columns j0 … j0+N−1 (j0 a
   * multiple of the panel, packed_size(1, 1)) are B + 4·j0 and Bp + 4·j0·K (bytes).
   */
  pack_strided(K: number, N: number, B: Ptr, ldb: number, Bp: Ptr): void;
  /** The same with B unpacked; scratch holds packed_size(K, N) floats. */
  gemm(M: number, N: number, K: number, A: Ptr, B: Ptr, bias: Ptr, C: Ptr, accumulate: 0 | 1, scratch: Ptr): void;
  /** out [N, M] = Aᵀ for A [M, N]. */
  transpose(M: number, N: number, A: Ptr, out: Ptr): void;
  /** out [N, M] = Aᵀ and sums [N] = Σ_m A[m, ·] (column_sums' sums bit for bit) for A [M, N], in one pass. */
  transpose_sums(M: number, N: number, A: Ptr, out: Ptr, sums: Ptr): void;
  /**
   * transpose (sums 0) or transpose_sums of columns j0 … j0+N−1 of a wider A [M, ·] (row stride
   * lda): A + 4·j0, out + 4·j0·M, sums + 4·j0 (bytes).
   */
  transpose_strided(M: number, N: number, A: Ptr, lda: number, out: Ptr, sums: Ptr): void;
  /** out [N] = Σ_m A[m, ·] (+ out if accumulate) for A [M, N]. */
  column_sums(M: number, N: number, A: Ptr, out: Ptr, accumulate: 0 | 1): void;
  /** column_sums of columns j0 … j0+N−1 of a wider A [M, ·] (row stride lda): A + 4·j0, out + 4·j0 (bytes). */
  column_sums_strided(M: number, N: number, A: Ptr, lda: number, out: Ptr, accumulate: 0 | 1): void;
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
  /** out [N, E] = rows ids[n] (int32) of table [·, E] (decoder.h). */
  gather_rows(N: number, E: number, table: Ptr, ids: Ptr, out: Ptr): void;
  /** out[ids[n]] += d[n] for rows of E floats, n in order (decoder.h). */
  scatter_add_rows(N: number, E: number, d: Ptr, ids: Ptr, out: Ptr): void;
  /**
   * Luong attention of queries [N, Hk] (row stride ldq) over memory rows source [N] (int32) with
   * lengths [M] (int32), keys [M, T, Hk] and values [M, T, Hv] → alpha [N, T], context [N, Hv] (decoder.h).
   */
  luong_attend(N: number, T: number, Hk: number, Hv: number, query: Ptr, ldq: number, source: Ptr, lengths: Ptr, keys: Ptr, values: Ptr, alpha: Ptr, context: Ptr): void;
  /**
   * The gradient of luong_attend for B·U queries in blocks of U per memory row: ∂L/∂c [B·U, Hv],
   * ∂L/∂α [B·U, T] (0: none) → dQuery [B·U, Hk], dKeys [B, T, Hk], dValues [B, T, Hv]; scratch holds 3·U·T floats.
   */
  luong_attend_backward(B: number, U: number, T: number, Hk: number, Hv: number, query: Ptr, lengths: Ptr, keys: Ptr, values: Ptr, alpha: Ptr, dContext: Ptr, dAlpha: Ptr, dQuery: Ptr, dKeys: Ptr, dValues: Ptr, scratch: Ptr): void;
  /** x [n] = tanh(x) in place. */
  tanh_inplace(n: number, x: Ptr): void;
  /** dh [n] = dh ⊙ (1 − h²) in place: the gradient through h = tanh(a) (decoder.h). */
  tanh_backward(n: number, h: Ptr, dh: Ptr): void;
  /** Each row of z [N, V] → its log-softmax, in place. */
  log_softmax_rows(N: number, V: number, z: Ptr): void;
  /** The m largest entries of each row of x [N, V] → index [N, m] int32, value [N, m], best first, ties by lower index (decoder.h). */
  top_k_rows(N: number, V: number, x: Ptr, m: number, index: Ptr, value: Ptr): void;
  /** Σ x² over n floats, in float64 (adam.h). */
  sum_squares(n: number, x: Ptr): number;
  /** Adam's update of a weight w [n] with gradient g and moments m, v, in place (adam.h). */
  adam_update(n: number, w: Ptr, m: Ptr, v: Ptr, g: Ptr, b1: number, c1: number, b2: number, c2: number, d1: number, d2: number, eps: number, minusLr: number): void;
  /**
   * The time loop of one RNN direction on batch rows [b0, b1) (loop.h): forward, or the backward
   * recurrence, as described by the LOOP_FIELDS int32 descriptor at d.
   */
  rnn_loop_forward(d: Ptr, b0: number, b1: number): void;
  rnn_loop_backward(d: Ptr, b0: number, b1: number): void;
  /**
   * rnn_loop_forward or _backward on all B rows in slices of `size` rows (default: one slice per
   * thread, threads.ts); returns the size, which the backward pass must repeat (the slices'
   * layout of the kept blocks depends on it).
   */
  loop_rows(direction: 'forward' | 'backward', d: Ptr, B: number, size?: number): number;
  /** Blocks of the module's memory (heap.ts). */
  heap: WasmHeap;
  /** A Float32Array view of n floats at ptr (valid until the next allocation grows memory). */
  f32(ptr: Ptr, n: number): Float32Array;
  /** An Int32Array view of n ints at ptr (same validity). */
  i32(ptr: Ptr, n: number): Int32Array;
}

function instantiate(module: WebAssembly.Module): NativeKernels {
  const exports = new WebAssembly.Instance(module, {}).exports as Record<string, unknown>;
  return kernelsOf(exports, exports.memory as WebAssembly.Memory);
}

/** The NativeKernels of an instance's exports on `memory` (its own, or the one it imports). */
export function kernelsOf(exports: Record<string, unknown>, memory: WebAssembly.Memory): NativeKernels {
  const heapBase = (exports.__heap_base as WebAssembly.Global).value as number;
  const loops = exports as unknown as Pick<NativeKernels, 'rnn_loop_forward' | 'rnn_loop_backward'>;
  return {
    ...(exports as unknown as Omit<NativeKernels, 'heap' | 'f32' | 'i32' | 'loop_rows'>),
    loop_rows(direction, d, B, size = B) {
      const run = direction === 'forward' ? loops.rnn_loop_forward : loops.rnn_loop_backward;
      for (let b0 = 0; b0 < B; b0 += size) run(d, b0, Math.min(B, b0 + size));
      return size;
    },
    heap: new WasmHeap(memory, heapBase),
    f32(ptr, n) {
      return new Float32Array(memory.buffer, ptr, n);
    },
    i32(ptr, n) {
      return new Int32Array(memory.buffer, ptr, n);
    },
  };
}

/** The kernels' builds, best first (build.sh). */
export type NativeVariant = 'relaxed-simd' | 'simd';

const kernels = embeddedModule(
  [
    { name: 'relaxed-simd', wasmBase64: fmaWasmBase64, wanted: relaxedSimdWanted, enable: enableRelaxedSimd },
    { name: 'simd', wasmBase64 },
  ],
  instantiate,
);

/**
 * Kernels that take precedence while they are on: in Node, src/native/threads.ts installs the
 * shared-memory variant whose large products run on worker threads (null while one thread is
 * asked for, or where that variant cannot load: then these kernels).
 */
let preferred: { get(): NativeKernels | null; load(): Promise<NativeKernels | null> } | null = null;

/** Install (or, with null, remove) the kernels that take precedence (threads.ts). */
export function preferKernels(source: typeof preferred): void {
  preferred = source;
}

/** The kernels; null where WebAssembly SIMD is unavailable or SORI_NATIVE=0 (embedded-module.ts). */
export const nativeKernels = (): NativeKernels | null => preferred?.get() ?? kernels.get();

/** Compile the kernels asynchronously (initBackend does); resolves to nativeKernels(). */
export const loadNativeKernels = async (): Promise<NativeKernels | null> => (await preferred?.load()) ?? kernels.load();

/** Why nativeKernels() is null ('' when it is not). */
export const nativeKernelsUnavailable = (): string => kernels.unavailable();

/** Which variant nativeKernels() runs (null when none). */
export const nativeKernelsVariant = (): NativeVariant | null => kernels.variant() as NativeVariant | null;

/** The variants that run here, best first (the relaxed one only where validated and wanted). */
export const nativeKernelsVariants = (): NativeVariant[] => kernels.variants() as NativeVariant[];

/**
 * Switch nativeKernels() to a fresh instance of `variant` (tests and benchmarks compare the two in
 * one process); memory held in the previous instance stays valid for whoever holds it.
 */
export const useNativeKernelsVariant = (variant: NativeVariant): NativeKernels => kernels.use(variant);
