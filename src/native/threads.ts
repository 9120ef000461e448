/**
 * sori's native kernels on several threads (Node only): every large matrix product — an RNN
 * layer's input projection over all T steps, ∂L/∂X, the weight gradients, and the recurrent
 * products of a step with a large batch and H (B 64, H 256: 2·64·256·1024 flops) — is split
 * across the main thread and N − 1 worker threads; and an RNN direction's whole time loop
 * (loop.h: forward, or the backward recurrence) runs on slices of the batch rows, one per thread,
 * the threads meeting once per sequence (loop_rows); and the large copies and sums around the
 * weight gradients (packs, transposes with their column sums) run on blocks of columns, one per
 * thread. The rest stays on the calling thread.
 *
 * With N > 1 the kernels are the shared-memory build of the same source, in the variant the
 * one-thread kernels run (kernels-fma-shared.wasm.ts or kernels-shared.wasm.ts; build.sh): every
 * worker instantiates it on the main thread's memory, so nothing is copied. Blocks are
 * whole 4-row tiles or whole panels of the packed B (8 or 16 columns), and every entry of a
 * product is the same sum in the same order whatever the tiling (gemm.h): results are
 * bit-identical to one thread. A product is split only into parts of at least MIN_PART_FLOPS
 * (below that the hand-over costs more than it saves), and a part no worker has begun by the time
 * the calling thread finished its own runs on the calling thread (thread-pool.ts).
 *
 * The thread count N: setNativeThreads(n), else the environment variable SORI_THREADS (read when
 * the kernels are first used), else 1. One thread is the plain module, as without this file.
 * SORI_THREADS_MIN_FLOPS (or the option minPartFlops) moves the size threshold, for measuring it.
 *
 * Why one thread by default (PyTorch takes every core): only the large products run in parallel,
 * the per-step recurrence of small batches does not, so a second thread gains a fraction of a
 * training step, while each worker spins after its calls and holds a few MB; sori often runs as
 * several processes side by side (test workers, recipes). Ask for threads where a core is free.
 */
import { wasmBase64 } from './kernels-shared.wasm.ts';
import { wasmBase64 as fmaWasmBase64 } from './kernels-fma-shared.wasm.ts';
import { embeddedModule } from './embedded-module.ts';
import { kernelsOf, nativeKernelsVariant, preferKernels, type NativeKernels } from './kernels.ts';
import { enableRelaxedSimd, relaxedSimdWanted } from './relaxed-simd.ts';
import { startThreadPool, THREAD_SLOT_INTS, type ThreadPool } from './thread-pool.ts';

/** Pages of 64 KiB the shared memory starts with and may grow to (build.sh's SHARED_FLAGS). */
const INITIAL_PAGES = 16;
const MAX_PAGES = 65536;
/** Bytes of stack per worker (the kernels' frames are a few hundred bytes). */
const STACK_BYTES = 64 * 1024;
/**
 * Flops (2 × multiply-adds) below which a part of a product is not worth a thread. The hand-over
 * itself is cheap (scripts/threads-product.ts --best, 20 products back to back, loaded machine: a
 * step's [32, 128] · [128, 512] split in parts of 2.1 MFLOP 70 → 41 µs), but a loop splits its
 * step products hundreds of times a pass, and a worker preempted in the middle of its part stalls
 * the step: on the loaded machine, RNN passes with those split were up to 1.4× slower, and with
 * parts of ≥ 4·10⁶ (the products over all T steps, the steps of B 64, H 256) about as fast as on
 * one thread (scripts/threads-rnn.ts). SORI_THREADS_MIN_FLOPS=1.5e6 splits the B 32, H 128 steps
 * too: try it where both cores are free.
 */
export const MIN_PART_FLOPS = 4e6;
/** Most threads setNativeThreads accepts. */
const MAX_THREADS = 64;

/**
 * A part of a copy (pack, transpose) or of a column sum needs minPartFlops / FLOPS_PER_FLOAT floats
 * (125,000 by default): these are bound by memory, and move a float in about the time a product
 * does 32 flops (an LSTM layer's δP [T·B, G·H], B 32, T 100, H 128, is 1.6 M floats).
 */
const FLOPS_PER_FLOAT = 32;

/** The exports workers may call, by index. */
const WORKER_EXPORTS = [
  'gemm_packed_strided',
  'rnn_loop_forward',
  'rnn_loop_backward',
  'pack_strided',
  'transpose_strided',
  'column_sums_strided',
] as const;
const GEMM_PACKED_STRIDED = 0;
const RNN_LOOP = { forward: 1, backward: 2 };
const PACK_STRIDED = 3;
const TRANSPOSE_STRIDED = 4;
const COLUMN_SUMS_STRIDED = 5;
/** The same exports on this thread (a part no worker began runs here). */
const localCalls = (base: NativeKernels) => WORKER_EXPORTS.map((name) => base[name]) as ((...args: number[]) => void)[];

interface Shared {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** The plain calls on the shared memory. */
  base: NativeKernels;
  /** base with gemm_packed and gemm split across the pool. */
  kernels: NativeKernels;
}

let threads: number | null = null; // null: not decided yet
let minPartFlops = MIN_PART_FLOPS;
let takeBack = true;
/** The workers, on the memory of `owner`; their slots and stacks are `block` in its heap. */
let pool: { pool: ThreadPool; block: number; owner: Shared } | null = null;
let poolsStarted = 0;

/** How many times workers were started in this process (a test checks products reuse them). */
export const nativeThreadPoolsStarted = (): number => poolsStarted;

function parseThreads(value: string, source: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_THREADS) {
    throw new Error(`${source}: expected a whole number of threads in [1, ${MAX_THREADS}], got '${value}'`);
  }
  return n;
}

function parseMinFlops(value: string, source: string): number {
  const n = Number(value);
  if (!(value.trim() !== '' && n >= 0)) throw new Error(`${source}: expected a number of flops ≥ 0, got '${value}'`);
  return n;
}

/** The thread count in force: setNativeThreads, else SORI_THREADS, else 1. */
export function nativeThreads(): number {
  if (threads === null) {
    const fromEnv = process.env.SORI_THREADS;
    const least = process.env.SORI_THREADS_MIN_FLOPS;
    if (least !== undefined && least !== '') minPartFlops = parseMinFlops(least, 'SORI_THREADS_MIN_FLOPS');
    threads = fromEnv === undefined || fromEnv === '' ? 1 : parseThreads(fromEnv, 'SORI_THREADS');
  }
  return threads;
}

/** Options of setNativeThreads. */
export interface NativeThreadsOptions {
  /** Flops a part of a product needs to go to a thread; default MIN_PART_FLOPS (tests use 0). */
  minPartFlops?: number;
  /**
   * The calling thread runs a part itself when no worker has begun it by the time its own part is
   * done (a busy machine; default true). False always waits for the workers (tests).
   */
  takeBack?: boolean;
}

/**
 * Run sori's native products on `n` threads (the calling one and n − 1 workers); 1 turns threads
 * off. Workers start now, in the background, and never keep the process alive.
 */
export function setNativeThreads(n: number, { minPartFlops: least = MIN_PART_FLOPS, takeBack: back = true }: NativeThreadsOptions = {}): void {
  minPartFlops = parseMinFlops(String(least), 'setNativeThreads: minPartFlops');
  takeBack = back;
  threads = parseThreads(String(n), 'setNativeThreads');
  if (threads === 1) closePool();
  else threadedKernels(); // start the workers now
}

function closePool(): void {
  if (!pool) return;
  // Slots and stacks are given back only when every worker said it left (else they stay allocated).
  if (pool.pool.close()) pool.owner.base.heap.release(pool.block);
  pool = null;
}

function resizePool(s: Shared, workers: number): ThreadPool {
  if (pool && pool.owner === s && pool.pool.size === workers) return pool.pool;
  closePool();
  const heap = s.base.heap;
  const block = heap.alloc(4 * THREAD_SLOT_INTS * workers + STACK_BYTES * workers);
  const stacks = Array.from({ length: workers }, (_, i) => block + 4 * THREAD_SLOT_INTS * workers + STACK_BYTES * (i + 1));
  pool = { pool: startThreadPool(s.module, s.memory, workers, block, stacks, [...WORKER_EXPORTS]), block, owner: s };
  poolsStarted++;
  return pool.pool;
}

/** The pool for the thread count in force (null at one thread). */
function currentPool(s: Shared): ThreadPool | null {
  const n = nativeThreads();
  if (n === 1) {
    closePool();
    return null;
  }
  return resizePool(s, n - 1);
}

/**
 * gemm_packed split into `parts` blocks of the larger side of C [M, N]: whole 4-row tiles of rows
 * (a long product: each thread reads all of Bp and its rows of A), or whole panels of Bp (a
 * short, wide one, as at every step of a loop: each thread reads only its panels of Bp, which stay
 * in its core's cache from step to step). Block 0 runs on this thread.
 */
function splitProduct(
  base: NativeKernels,
  pool: ThreadPool,
  parts: number,
  [M, N, K, A, Bp, bias, C, accumulate]: Parameters<NativeKernels['gemm_packed']>,
): void {
  const panel = base.packed_size(1, 1); // columns per panel of Bp: 8 (simd) or 16 (relaxed-simd)
  const byRows = M / 4 >= N / panel;
  const unit = byRows ? 4 : panel;
  const size = unit * Math.ceil((byRows ? M : N) / parts / unit); // rows or columns per block
  const total = byRows ? M : N;
  const block = (i0: number): Parameters<NativeKernels['gemm_packed_strided']> => {
    const n = Math.min(size, total - i0);
    return byRows
      ? [n, N, K, A + 4 * i0 * K, K, Bp, bias, C + 4 * i0 * N, N, accumulate]
      : [M, n, K, A, K, Bp + 4 * i0 * K, bias && bias + 4 * i0, C + 4 * i0, N, accumulate];
  };
  let worker = 0;
  for (let i0 = size; i0 < total; i0 += size) pool.start(worker++, GEMM_PACKED_STRIDED, block(i0));
  try {
    base.gemm_packed_strided(...block(0));
  } finally {
    pool.wait(takeBack ? localCalls(base) : undefined);
  }
}

/**
 * Run export `which` on blocks of `total` columns, `unit` columns at least and a multiple of it per
 * block, one block per thread: `block(j0, n)` gives the call's arguments for columns j0 … j0+n−1.
 * Block 0 runs on this thread.
 */
function splitColumns(
  base: NativeKernels,
  pool: ThreadPool,
  which: number,
  total: number,
  unit: number,
  block: (j0: number, n: number) => number[],
): void {
  const parts = Math.min(pool.size + 1, Math.ceil(total / unit));
  const size = unit * Math.ceil(total / parts / unit);
  let worker = 0;
  for (let j0 = size; j0 < total; j0 += size) pool.start(worker++, which, block(j0, Math.min(size, total - j0)));
  try {
    localCalls(base)[which](...block(0, Math.min(size, total)));
  } finally {
    pool.wait(takeBack ? localCalls(base) : undefined);
  }
}

function threaded(s: Shared): NativeKernels {
  const { base } = s;
  /** The pool, when a copy or sum of `floats` over `columns` columns (in units of `unit`) is worth splitting. */
  const poolFor = (floats: number, columns: number, unit: number): ThreadPool | null => {
    const p = currentPool(s);
    return p && floats >= (2 * minPartFlops) / FLOPS_PER_FLOAT && columns >= 2 * unit ? p : null;
  };
  /** pack split by panels of Bp (each thread copies its panels). */
  const pack: NativeKernels['pack'] = (K, N, B, Bp) => {
    const panel = base.packed_size(1, 1);
    const p = poolFor(K * N, N, panel);
    if (!p) return base.pack(K, N, B, Bp);
    splitColumns(base, p, PACK_STRIDED, N, panel, (j0, n) => [K, n, B + 4 * j0, N, Bp + 4 * j0 * K]);
  };
  const gemmPacked: NativeKernels['gemm_packed'] = (...args) => {
    const [M, N, K] = args;
    const p = currentPool(s);
    const blocks = Math.max(Math.floor(M / 4), Math.ceil(N / base.packed_size(1, 1))); // tiles or panels of the larger side
    const parts = p ? Math.min(p.size + 1, blocks, Math.floor((2 * M * N * K) / Math.max(minPartFlops, 1))) : 1;
    if (parts < 2) base.gemm_packed(...args);
    else splitProduct(base, p!, parts, args);
  };
  /**
   * An RNN direction's time loop on slices of the batch, one per thread (loop.h): rows are
   * independent through the recurrence, so the threads meet once per sequence, not once per step.
   * Slices are whole 4-row tiles where B ≥ 8 (the step products' tile), else single rows.
   */
  const loopRows: NativeKernels['loop_rows'] = (direction, d, B, given) => {
    const p = currentPool(s);
    const parts = p ? Math.min(p.size + 1, B) : 1;
    const unit = B >= 8 ? 4 : 1;
    const size = given ?? unit * Math.ceil(B / parts / unit);
    if (!p || size >= B) return base.loop_rows(direction, d, B, size);
    const which = RNN_LOOP[direction];
    const local = localCalls(base)[which];
    let b0 = size;
    for (let worker = 0; worker < p.size && b0 < B; worker++, b0 += size) p.start(worker, which, [d, b0, Math.min(B, b0 + size)]);
    try {
      local(d, 0, size);
      for (; b0 < B; b0 += size) local(d, b0, Math.min(B, b0 + size)); // more slices than threads
    } finally {
      p.wait(takeBack ? localCalls(base) : undefined);
    }
    return size;
  };
  return {
    ...base,
    gemm_packed: gemmPacked,
    loop_rows: loopRows,
    pack,
    gemm(M, N, K, A, B, bias, C, accumulate, scratch) {
      pack(K, N, B, scratch);
      gemmPacked(M, N, K, A, scratch, bias, C, accumulate);
    },
    /** Split by blocks of 16 columns of A (rows of the transpose). */
    transpose(M, N, A, out) {
      const p = poolFor(M * N, N, 16);
      if (!p) return base.transpose(M, N, A, out);
      splitColumns(base, p, TRANSPOSE_STRIDED, N, 16, (j0, n) => [M, n, A + 4 * j0, N, out + 4 * j0 * M, 0]);
    },
    transpose_sums(M, N, A, out, sums) {
      const p = poolFor(M * N, N, 16);
      if (!p) return base.transpose_sums(M, N, A, out, sums);
      splitColumns(base, p, TRANSPOSE_STRIDED, N, 16, (j0, n) => [M, n, A + 4 * j0, N, out + 4 * j0 * M, sums + 4 * j0]);
    },
    /** Split by blocks of columns: each column is summed in the same order whatever the split. */
    column_sums(M, N, A, out, accumulate) {
      const p = poolFor(M * N, N, 4);
      if (!p) return base.column_sums(M, N, A, out, accumulate);
      splitColumns(base, p, COLUMN_SUMS_STRIDED, N, 4, (j0, n) => [M, n, A + 4 * j0, N, out + 4 * j0, accumulate]);
    },
  };
}

/** The shared-memory builds, in the one-thread kernels' variant names (kernels.ts). */
const shared = embeddedModule<Shared>(
  [
    { name: 'relaxed-simd', wasmBase64: fmaWasmBase64, wanted: relaxedSimdWanted, enable: enableRelaxedSimd },
    { name: 'simd', wasmBase64 },
  ],
  (module) => {
    const memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAX_PAGES, shared: true });
    const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as Record<string, unknown>;
    const s = { module, memory, base: kernelsOf(exports, memory) } as Shared;
    s.kernels = threaded(s); // one object: the pool knows its memory by it
    return s;
  },
);

/** The shared build in the variant the one-thread kernels run (null where none loads). */
function sharedKernels(): Shared | null {
  const variant = nativeKernelsVariant(); // null under SORI_NATIVE=0 or without SIMD
  if (!variant) return null;
  const s = shared.get();
  if (shared.variant() === variant) return s;
  try {
    return shared.use(variant); // useNativeKernelsVariant switched the one-thread kernels
  } catch {
    return null;
  }
}

/** The threaded kernels, their workers started (null at one thread or where they cannot load). */
function threadedKernels(): NativeKernels | null {
  const s = sharedKernels();
  if (!s || !currentPool(s)) return null;
  return s.kernels;
}

preferKernels({
  get: () => (nativeThreads() > 1 ? threadedKernels() : null),
  load: async () => {
    if (nativeThreads() === 1) return null;
    await shared.load();
    return threadedKernels();
  },
});
