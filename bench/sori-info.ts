/**
 * What sori ran on in a bench process: the tensor backend, the native kernels module (loaded or
 * why not, its variant where the module says, whether this Node validates relaxed SIMD), and the
 * thread count SORI_THREADS with whether anything in sori reads it yet.
 */

export interface SoriInfo {
  backend: string;
  /** 'loaded' or why the module is off (SORI_NATIVE=0, no SIMD). */
  native: string;
  /** The module's own name for the variant it loaded, where it exports one. */
  variant: string | null;
  /** WebAssembly.validate of a one-instruction f32x4.relaxed_madd module in this process. */
  relaxedSimd: boolean;
  /** SORI_THREADS as this process saw it. */
  threads: string | null;
  /** src/index.ts exports setNativeThreads (the worker-thread products read SORI_THREADS). */
  threadedProducts: boolean;
  /** nativeThreads(): the thread count the native products run on, where src/index.ts exports it. */
  nativeThreads: number | null;
  summary: string;
}

/** (v128, v128, v128) → v128 = f32x4.relaxed_madd(a, b, c) (opcode 0xfd 0x105). */
const RELAXED_MADD = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x08, 0x01, 0x60, 0x03, 0x7b, 0x7b, 0x7b, 0x01, 0x7b, // type: (v128 v128 v128) → v128
  0x03, 0x02, 0x01, 0x00, // function 0 of type 0
  0x0a, 0x0d, 0x01, 0x0b, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0xfd, 0x85, 0x02, 0x0b, // body
]);

export async function soriInfo(backend: string): Promise<SoriInfo> {
  const index: Record<string, unknown> = await import('../src/index.ts');
  const kernelsModule: Record<string, unknown> = await import('../src/native/kernels.ts');
  const k = (kernelsModule.nativeKernels as () => Record<string, unknown> | null)();
  const native = k ? 'loaded' : (kernelsModule.nativeKernelsUnavailable as () => string)();
  // The module's variant, under whichever name it exports it (none before the FMA variant).
  const named = ['nativeKernelsVariant', 'nativeVariant', 'kernelsVariant'].find((n) => typeof kernelsModule[n] === 'function');
  const variant = named
    ? String((kernelsModule[named] as () => unknown)())
    : k && typeof k.variant === 'string'
      ? k.variant
      : null;
  const relaxedSimd = WebAssembly.validate(RELAXED_MADD);
  const threads = process.env.SORI_THREADS ?? null;
  const threadedProducts = typeof index.setNativeThreads === 'function';
  const nativeThreads = typeof index.nativeThreads === 'function' ? Number((index.nativeThreads as () => unknown)()) : null;
  const summary = [
    `backend ${backend}`,
    `native kernels ${native}${variant ? ` (variant ${variant})` : k ? ' (SIMD128; the module names no variant)' : ''}`,
    `relaxed SIMD ${relaxedSimd ? 'validates' : 'does not validate'} in this process`,
    `SORI_THREADS=${threads ?? 'unset'}${threadedProducts ? '' : ' (no effect: src/index.ts has no setNativeThreads yet, sori runs 1 thread)'}`,
    ...(nativeThreads === null ? [] : [`nativeThreads() ${nativeThreads}`]),
  ].join(', ');
  return { backend, native, variant, relaxedSimd, threads, threadedProducts, nativeThreads, summary };
}
