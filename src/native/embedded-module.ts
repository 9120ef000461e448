/**
 * A WebAssembly module whose bytes are embedded as base64 (src/native/NAME.wasm.ts, written by
 * `npm run build:native`): compiled synchronously on first use, or asynchronously by `load()`
 * (initBackend awaits that, since browsers refuse synchronous compiles of more than a few KB on
 * the main thread). `SORI_NATIVE=0` in the environment turns every such module off.
 */
export interface EmbeddedModule<T> {
  /** The instance; null where it cannot load or is turned off (then `unavailable()` says why). */
  get(): T | null;
  /** Compile asynchronously; resolves to get(). */
  load(): Promise<T | null>;
  /** Why get() is null ('' when it is not). */
  unavailable(): string;
}

export function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  if (typeof Buffer !== 'undefined') return new Uint8Array(Buffer.from(text, 'base64'));
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** `instantiate` turns the compiled module into what callers use (exports, memory views …). */
export function embeddedModule<T>(wasmBase64: string, instantiate: (module: WebAssembly.Module) => T): EmbeddedModule<T> {
  let loaded: T | null | undefined;
  let failure = '';
  const turnedOff = () => typeof process !== 'undefined' && process.env?.SORI_NATIVE === '0';
  const settle = (make: () => T): T | null => {
    try {
      return make();
    } catch (err) {
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
    return (loaded = settle(() => instantiate(new WebAssembly.Module(decodeBase64(wasmBase64)))));
  };
  return {
    get,
    async load() {
      if (loaded !== undefined || turnedOff()) return get();
      const module = await WebAssembly.compile(decodeBase64(wasmBase64)).catch(() => null);
      if (loaded !== undefined) return loaded; // a synchronous get() won the race
      if (!module) return get(); // let the synchronous compile say why
      return (loaded = settle(() => instantiate(module)));
    },
    unavailable() {
      get();
      return failure;
    },
  };
}
