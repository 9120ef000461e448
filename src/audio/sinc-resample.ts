/**
 * Polyphase windowed-sinc resampling, as torchaudio.functional.resample does it, with the inner
 * products in WebAssembly SIMD (src/native/audio-resample.c) and a TypeScript loop as the
 * reference and fallback (SORI_NATIVE=0).
 *
 * The rates are reduced by their gcd to orig : new. Output m = j·new + i (frame j, phase i) lies
 * at input position m·orig/new, and
 *
 *   y[m] = Σ_n x[n] · h((n − j·orig)/orig − i/new),   x[n] = 0 outside [0, N)
 *   h(τ) = (f_c/orig) · sinc(π t) · w(t),   t = f_c τ clamped to [−W, W],   f_c = min(orig, new) · rolloff
 *
 * a low-pass cut at rolloff × the lower Nyquist frequency, W zero crossings on each side
 * (lowpassFilterWidth), windowed by
 *   hann     w(t) = cos²(π t / 2W)                       (torchaudio's default: W = 6, rolloff 0.99)
 *   kaiser   w(t) = I₀(β √(1 − (t/W)²)) / I₀(β)
 * Each phase i needs the K taps where |t| < W; the table h [new, K] holds them (K rounded up to a
 * multiple of 4, zero-padded), first [new] their first input offset. The output has
 * ⌈N · new / orig⌉ samples, as torchaudio's.
 */
import { resampleKernel } from '../native/resample.ts';

/** The low-pass kernel: window, zero crossings per side W, cutoff as a fraction of the lower Nyquist. */
export interface SincKernel {
  window: 'hann' | 'kaiser';
  lowpassFilterWidth: number;
  rolloff: number;
  /** Kaiser's β (ignored for hann). */
  beta: number;
}

/** torchaudio.functional.resample's defaults (sinc_interp_hann, W = 6, rolloff 0.99). */
export const HANN_KERNEL: SincKernel = { window: 'hann', lowpassFilterWidth: 6, rolloff: 0.99, beta: 0 };

/**
 * sori's default (resample.ts 'kaiser'): Kaiser β = 12.3, W = 26, rolloff 0.95, chosen to beat
 * libsamplerate 'medium' on passband SNR and alias rejection (numbers in resample.ts).
 */
export const KAISER_KERNEL: SincKernel = { window: 'kaiser', lowpassFilterWidth: 26, rolloff: 0.95, beta: 12.3 };

/** The phases' taps for one pair of rates. */
export interface PolyphaseTable {
  orig: number;
  newRate: number;
  /** taps per phase, a multiple of 4 */
  K: number;
  /** first [new]: input offset of phase i's first tap, relative to j·orig */
  first: Int32Array;
  /** h [new, K] */
  h: Float32Array;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** I₀(x) = Σ_k ((x/2)^k / k!)², the modified Bessel function of order 0. */
function besselI0(x: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 1; term > 1e-17 * sum; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
  }
  return sum;
}

/** Most taps a table may hold (4 MB): rates whose gcd is small (44101 → 16000) would need more. */
export const MAX_TABLE_TAPS = 1 << 20;

/** Taps of the table polyphaseTable would build: new · K (K before rounding to 4). */
export function polyphaseTableSize(rateIn: number, rateOut: number, kernel: SincKernel): number {
  const g = gcd(rateIn, rateOut);
  const orig = rateIn / g;
  const fc = Math.min(orig, rateOut / g) * kernel.rolloff;
  return (rateOut / g) * (2 * Math.ceil((kernel.lowpassFilterWidth * orig) / fc) + 1);
}

/** The taps of rateIn → rateOut for `kernel` (float64 formulas, stored as float32). */
export function polyphaseTable(rateIn: number, rateOut: number, kernel: SincKernel): PolyphaseTable {
  const g = gcd(rateIn, rateOut);
  const orig = rateIn / g;
  const newRate = rateOut / g;
  const W = kernel.lowpassFilterWidth;
  const fc = Math.min(orig, newRate) * kernel.rolloff;
  const reach = (W * orig) / fc; // |n − input position| < reach, in input samples
  const i0Beta = besselI0(kernel.beta);
  const tap = (k: number, i: number): number => {
    const t = (k / orig - i / newRate) * fc;
    if (Math.abs(t) >= W) return 0;
    const w =
      kernel.window === 'hann'
        ? Math.cos((Math.PI * t) / (2 * W)) ** 2
        : besselI0(kernel.beta * Math.sqrt(1 - (t / W) ** 2)) / i0Beta;
    const sinc = t === 0 ? 1 : Math.sin(Math.PI * t) / (Math.PI * t);
    return (fc / orig) * sinc * w;
  };
  const first = new Int32Array(newRate);
  const last = new Int32Array(newRate);
  for (let i = 0; i < newRate; i++) {
    const centre = (i * orig) / newRate; // phase i's position, input samples after j·orig
    first[i] = Math.floor(centre - reach);
    last[i] = Math.ceil(centre + reach);
  }
  let K = 0;
  for (let i = 0; i < newRate; i++) K = Math.max(K, last[i] - first[i] + 1);
  K = Math.ceil(K / 4) * 4;
  const h = new Float32Array(newRate * K); // [new, K]
  for (let i = 0; i < newRate; i++) {
    for (let q = 0; q < K; q++) h[i * K + q] = tap(first[i] + q, i);
  }
  return { orig, newRate, K, first, h };
}

const tables = new Map<string, PolyphaseTable>();

/** polyphaseTable, remembered for the last few rate pairs (speed perturbation repeats them). */
export function cachedPolyphaseTable(rateIn: number, rateOut: number, kernel: SincKernel): PolyphaseTable {
  const key = `${rateIn} ${rateOut} ${JSON.stringify(kernel)}`;
  let table = tables.get(key);
  if (!table) {
    table = polyphaseTable(rateIn, rateOut, kernel);
    if (tables.size >= 8) tables.delete(tables.keys().next().value as string);
    tables.set(key, table);
  }
  return table;
}

/** Outputs per kernel call: bounds the module's memory (≈ 3 MB at 22.05 → 16 kHz). */
const CHUNK = 1 << 18;

/**
 * x [N] at orig → y [⌈N·new/orig⌉] at new, through the table; WebAssembly where it loads.
 * Throws, naming the first sample that is not finite, where there is one.
 */
export function sincResample(x: Float32Array, table: PolyphaseTable): Float32Array {
  const { orig, newRate, K, first, h } = table;
  const N = x.length;
  const M = Math.ceil((N * newRate) / orig);
  const y = new Float32Array(M);
  let minFirst = Infinity;
  let maxEnd = -Infinity;
  for (let i = 0; i < newRate; i++) {
    minFirst = Math.min(minFirst, first[i]);
    maxEnd = Math.max(maxEnd, first[i] + K);
  }
  const framesPerChunk = Math.max(1, Math.floor(CHUNK / newRate));
  const chunkInput = (framesPerChunk - 1) * orig + maxEnd - minFirst;
  const k = resampleKernel();
  // Module layout (bytes from __heap_base): h [new·K] | first [new] | x [chunkInput] | y [framesPerChunk·new].
  let at = k ? k.heapBase : 0;
  const block = (n: number) => {
    const p = at;
    at += Math.ceil(n / 4) * 16;
    return p;
  };
  const hPtr = block(newRate * K);
  const firstPtr = block(newRate);
  const xPtr = block(chunkInput);
  const yPtr = block(framesPerChunk * newRate);
  if (k) {
    const missing = at - k.memory.buffer.byteLength;
    if (missing > 0) k.memory.grow(Math.ceil(missing / 65536));
    new Float32Array(k.memory.buffer, hPtr, newRate * K).set(h);
    const rel = new Int32Array(k.memory.buffer, firstPtr, newRate);
    for (let i = 0; i < newRate; i++) rel[i] = first[i] - minFirst;
  }
  const chunk = new Float32Array(k ? 0 : chunkInput);
  for (let j0 = 0; j0 * newRate < M; j0 += framesPerChunk) {
    const count = Math.min(framesPerChunk * newRate, M - j0 * newRate);
    const start = j0 * orig + minFirst; // input index of the chunk's element 0
    const xs = k ? new Float32Array(k.memory.buffer, xPtr, chunkInput) : chunk;
    const lo = Math.max(0, -start);
    const hi = Math.min(chunkInput, N - start);
    xs.fill(0, 0, lo);
    if (hi > lo) xs.set(x.subarray(start + lo, start + hi), lo);
    xs.fill(0, Math.max(lo, hi));
    const bad = k ? k.first_nonfinite(xPtr + 4 * lo, Math.max(0, hi - lo)) : firstNonFinite(xs, lo, hi);
    if (bad >= 0) throw new Error(`resample: samples[${start + lo + bad}] must be finite, got ${x[start + lo + bad]}`);
    if (k) {
      k.resample_polyphase(xPtr, count, orig, newRate, K, firstPtr, hPtr, yPtr);
      y.set(new Float32Array(k.memory.buffer, yPtr, count), j0 * newRate);
    } else {
      polyphaseReference(xs, count, table, minFirst, y.subarray(j0 * newRate));
    }
  }
  return y;
}

/** The first i in [0, hi − lo) with x[lo + i] not finite, or −1. */
function firstNonFinite(x: Float32Array, lo: number, hi: number): number {
  for (let i = lo; i < hi; i++) if (!Number.isFinite(x[i])) return i - lo;
  return -1;
}

/** y[j·new + i] = Σ_q x[j·orig + first[i] − minFirst + q] · h[i·K + q] for m < count (audio-resample.c's loop). */
function polyphaseReference(x: Float32Array, count: number, table: PolyphaseTable, minFirst: number, y: Float32Array) {
  const { orig, newRate, K, first, h } = table;
  for (let m = 0, j = 0; m < count; j++) {
    for (let i = 0; i < newRate && m < count; i++, m++) {
      const o = j * orig + first[i] - minFirst;
      let s = 0;
      for (let q = 0; q < K; q++) s += x[o + q] * h[i * K + q];
      y[m] = s;
    }
  }
}
