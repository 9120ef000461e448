/**
 * A WebAssembly module whose bytes are embedded as base64 (src/native/NAME.wasm.ts, written by
 * `npm run build:native`): compiled synchronously on first use, or asynchronously by `load()`
 * (initBackend awaits that, since browsers refuse synchronous compiles of more than a few KB on
 * the main thread). `SORI_NATIVE=0` in the environment turns every such module off.
 *
 * A module may come in variants, best first (kernels: relaxed SIMD, then plain SIMD): the first
 * one that is wanted and that this runtime validates is the one loaded; `use(name)` switches to
 * another (tests and benchmarks compare them in one process).
 */
export interface EmbeddedModule<T> {
  /** The instance; null where it cannot load or is turned off (then `unavailable()` says why). */
  get(): T | null;
  /** Compile asynchronously; resolves to get(). */
  load(): Promise<T | null>;
  /** Why get() is null ('' when it is not). */
  unavailable(): string;
  /** The name of the variant get() returns (null when none loads). */
  variant(): string | null;
  /** Variants this runtime validates and that are wanted, best first ([] under SORI_NATIVE=0). */
  variants(): string[];
  /** From now on get() returns a fresh instance of variant `name` (an error when it cannot load here). */
  use(name: string): T;
}

export interface ModuleVariant {
  name: string;
  wasmBase64: string;
  /** False to skip this variant (e.g. an environment variable says so). */
  wanted?: () => boolean;
  /** Where the bytes do not validate: turn on what the runtime has behind a flag (then they are validated again). */
  enable?: () => void;
}

export function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  if (typeof Buffer !== 'undefined') return new Uint8Array(Buffer.from(text, 'base64'));
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * `wasmBase64`: the module's bytes, or its variants best first (the last one is the fallback).
 * `instantiate` turns the compiled module into what callers use (exports, memory views …).
 */
export function embeddedModule<T>(
  wasmBase64: string | ModuleVariant[],
  instantiate: (module: WebAssembly.Module) => T,
): EmbeddedModule<T> {
  const all: ModuleVariant[] = typeof wasmBase64 === 'string' ? [{ name: 'simd', wasmBase64 }] : wasmBase64;
  let loaded: T | null | undefined;
  let loadedName: string | null = null;
  let failure = '';
  const turnedOff = () => typeof process !== 'undefined' && process.env?.SORI_NATIVE === '0';
  const validates = (v: ModuleVariant) => {
    const bytes = decodeBase64(v.wasmBase64);
    if (WebAssembly.validate(bytes) || !v.enable) return WebAssembly.validate(bytes);
    v.enable();
    return WebAssembly.validate(bytes);
  };
  const runnable = (v: ModuleVariant) => (v.wanted?.() ?? true) && validates(v);
  // The last variant is the fallback: where it does not validate either, compiling it says why.
  const choose = (): ModuleVariant => all.slice(0, -1).find(runnable) ?? all[all.length - 1];
  const settle = (name: string, make: () => T): T | null => {
    try {
      loadedName = name;
      return make();
    } catch (err) {
      loadedName = null;
      failure = `WebAssembly SIMD module failed to load: ${(err as Error).message}`;
      return null;
    }
  };
  const get = (): T | null => {
    if (loaded !== undefined) return loaded;
    if (turnedOff()) {
      failure = 'turned off by SORI_NATIVE=0';
      return (loaded = null);
    }
    const v = choose();
    return (loaded = settle(v.name, () => instantiate(new WebAssembly.Module(decodeBase64(v.wasmBase64)))));
  };
  return {
    get,
    async load() {
      if (loaded !== undefined || turnedOff()) return get();
      const v = choose();
      const module = await WebAssembly.compile(decodeBase64(v.wasmBase64)).catch(() => null);
      if (loaded !== undefined) return loaded; // a synchronous get() won the race
      if (!module) return get(); // let the synchronous compile say why
      return (loaded = settle(v.name, () => instantiate(module)));
    },
    unavailable() {
      get();
      return failure;
    },
    variant() {
      get();
      return loadedName;
    },
    variants() {
      return turnedOff() ? [] : all.filter(runnable).map((v) => v.name);
    },
    use(name) {
      const v = all.find((x) => x.name === name);
      if (!v) throw new Error(`embeddedModule.use: no variant '${name}' (variants: ${all.map((x) => x.name).join(', ')})`);
      if (!validates(v)) throw new Error(`embeddedModule.use: variant '${name}' does not validate in this runtime`);
      loaded = instantiate(new WebAssembly.Module(decodeBase64(v.wasmBase64)));
      loadedName = name;
      failure = '';
      return loaded;
    },
  };
}

/**
 * The `instantiate` of a module that imports nothing: its memory, its heap base and the named
 * exported functions, as the kernel interface `T` declares them. A missing function is an error
 * that names it (a stale *.wasm.ts against its loader).
 */
export function kernelExports<T extends { memory: WebAssembly.Memory; heapBase: number }>(
  names: readonly Exclude<keyof T, 'memory' | 'heapBase'>[],
): (module: WebAssembly.Module) => T {
  return (module) => {
    const exports = new WebAssembly.Instance(module, {}).exports as Record<string, unknown>;
    const kernel: Record<string, unknown> = {
      memory: exports.memory as WebAssembly.Memory,
      heapBase: (exports.__heap_base as WebAssembly.Global).value as number,
    };
    for (const name of names as readonly string[]) {
      if (typeof exports[name] !== 'function') throw new Error(`native module: no exported function '${name}'`);
      kernel[name] = exports[name];
    }
    return kernel as T;
  };
}
