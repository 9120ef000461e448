/**
 * WebAssembly relaxed SIMD (f32x4.relaxed_madd: a·b + c, fused where the CPU has FMA), which the
 * kernels' second variant uses (src/native/build.sh, kernels-fma.wasm.ts). Browsers (Chrome 114+)
 * and Node 22+ run it by default; Node 20 (V8 11.3) has it behind --experimental-wasm-relaxed-simd,
 * which `enableRelaxedSimd` turns on at run time (v8.setFlagsFromString: V8 reads the flag when it
 * validates or compiles a module). The loader calls it only where the variant does not validate
 * as it is. `SORI_NATIVE_FMA=0` in the environment keeps to plain SIMD.
 */

interface V8Flags {
  setFlagsFromString(flags: string): void;
}

/** False under SORI_NATIVE_FMA=0. */
export function relaxedSimdWanted(): boolean {
  const node = typeof process !== 'undefined' ? process : undefined;
  return node?.env?.SORI_NATIVE_FMA !== '0';
}

/** In Node, turn on V8's relaxed-SIMD flag; elsewhere nothing. */
export function enableRelaxedSimd(): void {
  const node = typeof process !== 'undefined' ? process : undefined;
  const v8 = typeof node?.getBuiltinModule === 'function' ? (node.getBuiltinModule('node:v8') as V8Flags | undefined) : undefined;
  v8?.setFlagsFromString('--experimental-wasm-relaxed-simd');
}
