/**
 * Power spectrum of a real frame: P[k] = |X[k]|², X[k] = Σ_{n<N} x[n] e^{−2πi kn/N}, k = 0 … N/2.
 *
 * Two engines compute the same numbers:
 * - 'fft' (default): a real FFT written for this: the N real samples are read as N/2
 *   complex ones z[n] = x[2n] + i·x[2n+1] (interleaved, so packing is one copy), transformed
 *   (decimation in frequency, radix 4 with one radix-2 stage when log2(N/2) is odd, precomputed
 *   twiddles, output left in digit-reversed order and read through a precomputed index), and split:
 *   X[k] = E[k] + e^{−2πik/N} O[k] with E[k] = (Z[k] + Z*[N/2−k])/2, O[k] = (Z[k] − Z*[N/2−k])/(2i).
 *   Several times faster than Meyda per 512-point frame (Meyda allocates objects per butterfly).
 * - 'meyda': Meyda.extract('powerSpectrum') with its window set to 'rect' (Meyda windows with
 *   Hann by default, and returns only k < N/2 in float32; P[N/2] is then computed here directly as
 *   (Σ_n (−1)^n x[n])²). Kept as the independent check and for users who want Meyda's numbers.
 * Both need N a power of two (Kaldi zero-pads the 400-sample window to 512).
 */
import meydaModule from 'meyda';

// meyda's CommonJS build sets module.exports = Meyda, while its typings declare `export default
// Meyda`; under NodeNext the default import is that object at run time, so retype it.
const Meyda = meydaModule as unknown as typeof meydaModule.default;

export type SpectrumEngine = 'fft' | 'meyda';
export const SPECTRUM_ENGINES: readonly SpectrumEngine[] = ['fft', 'meyda'];

/** A power spectrum function for frames of N samples: frame [N] → power [N/2 + 1] (written in place). */
export type PowerSpectrumFn = (frame: Float64Array, power: Float64Array) => void;

/** Build a power-spectrum function for frame length `N` (a power of two ≥ 8). */
export function powerSpectrumFn(N: number, engine: SpectrumEngine = 'fft'): PowerSpectrumFn {
  if (!Number.isInteger(N) || N < 8 || (N & (N - 1)) !== 0) {
    throw new Error(`powerSpectrumFn: N must be a power of two ≥ 8, got ${N}`);
  }
  if (engine === 'meyda') return meydaPowerSpectrum(N);
  if (engine !== 'fft') throw new Error(`powerSpectrumFn: engine must be 'fft' or 'meyda', got '${engine}'`);
  return realFftPowerSpectrum(N);
}

/**
 * The tables of the real FFT of N points (K = N/2 complex points), shared by the TypeScript code
 * here and the WebAssembly kernel (src/native/audio-mfcc.c, fed by mfcc-wasm.ts):
 * - at [K]: Re Z[k] lies at z[at[k]] after the transform, Im Z[k] at z[at[k] + 1] (digit reversal);
 * - radix2 [K]: (cos, sin) of e^{−2πij/K}, j < K/2, interleaved (used when log2 K is odd);
 * - radix4: per radix-4 stage of size L = Q, Q/4, …, 16 (Q = K, or K/2 after a radix-2 stage),
 *   for j < L/4 the (cos, sin) of W^j, W^2j, W^3j (W = e^{−2πi/L}): 6·L/4 numbers per stage;
 * - split [K + 2]: (cos, sin) of e^{−2πik/N}, k ≤ K/2, interleaved.
 */
export interface RealFftTables {
  N: number;
  at: Int32Array;
  radix2: Float64Array;
  radix4: Float64Array[];
  split: Float64Array;
}

/** Tables for a real FFT of N points (N a power of two ≥ 8). */
export function realFftTables(N: number): RealFftTables {
  const K = N >> 1;
  const bits = Math.round(Math.log2(K));
  const radix2First = bits % 2 === 1;
  const Q = radix2First ? K >> 1 : K; // size of the radix-4 transforms (a power of 4)
  const qBits = radix2First ? bits - 1 : bits;
  // Radix 2 first: X[2k'] is the k'-th output of the first half, X[2k' + 1] of the second.
  const at = new Int32Array(K);
  for (let k = 0; k < K; k++) {
    const half = radix2First ? k & 1 : 0;
    const kq = radix2First ? k >> 1 : k;
    let r = 0;
    for (let d = 0; d < qBits; d += 2) r |= ((kq >> d) & 3) << (qBits - 2 - d); // base-4 digits reversed
    at[k] = 2 * (half * Q + r);
  }
  const radix2 = new Float64Array(K);
  for (let j = 0; j < K >> 1; j++) {
    radix2[2 * j] = Math.cos((2 * Math.PI * j) / K);
    radix2[2 * j + 1] = -Math.sin((2 * Math.PI * j) / K);
  }
  const radix4: Float64Array[] = [];
  for (let L = Q; L >= 16; L >>= 2) {
    const q = L >> 2;
    const t = new Float64Array(6 * q);
    for (let j = 0; j < q; j++) {
      for (let p = 1; p <= 3; p++) {
        t[6 * j + 2 * (p - 1)] = Math.cos((2 * Math.PI * p * j) / L);
        t[6 * j + 2 * (p - 1) + 1] = -Math.sin((2 * Math.PI * p * j) / L);
      }
    }
    radix4.push(t);
  }
  const split = new Float64Array(K + 2);
  for (let k = 0; k <= K >> 1; k++) {
    split[2 * k] = Math.cos((2 * Math.PI * k) / N);
    split[2 * k + 1] = -Math.sin((2 * Math.PI * k) / N);
  }
  return { N, at, radix2, radix4, split };
}

function realFftPowerSpectrum(N: number): PowerSpectrumFn {
  const M = N >> 1; // complex FFT size (≥ 4 here: N ≥ 8)
  const tables = realFftTables(N);
  const { at, split } = tables;
  const radix2First = Math.round(Math.log2(M)) % 2 === 1;
  // z [M] complex, interleaved: z[2n] = Re z_n = x[2n], z[2n + 1] = Im z_n = x[2n + 1], so the
  // packing is a plain copy of the frame.
  const z = new Float64Array(N);

  return (frame, power) => {
    z.set(frame.length === N ? frame : frame.subarray(0, N)); // (a view only when the frame is longer)
    // M-point complex FFT, decimation in frequency: one radix-2 stage when log2 M is odd, then
    // radix-4 stages; the outputs stay in digit-reversed order and are read through `at`.
    if (radix2First) radix2Stage(z, tables.radix2);
    radix4Fft(z, tables.radix4);
    // X[0] = Re Z0 + Im Z0, X[N/2] = Re Z0 − Im Z0.
    const r0 = z[at[0]], i0 = z[at[0] + 1];
    power[0] = (r0 + i0) ** 2;
    power[M] = (r0 - i0) ** 2;
    // For 1 ≤ k ≤ M/2, with E = (Z[k] + Z*[M−k])/2 and O = (Z[k] − Z*[M−k])/(2i):
    //   X[k] = E + W^k O   and   X[M−k] = (E − W^k O)*   (W^{M−k} = −(W^k)*),
    // so one pass over half the bins gives both |X[k]|² and |X[M−k]|².
    for (let k = 1; k <= M >> 1; k++) {
      const a = at[k], b = at[M - k];
      const zr = z[a], zi = z[a + 1];
      const cr = z[b], ci = -z[b + 1]; // Z*[M−k] = cr + i·ci
      const er = 0.5 * (zr + cr), ei = 0.5 * (zi + ci);
      const or = 0.5 * (zi - ci), oi = -0.5 * (zr - cr); // (dz_i − i·dz_r)/2, dz = Z[k] − Z*[M−k]
      const wr = split[2 * k], wi = split[2 * k + 1];
      const tr = wr * or - wi * oi, ti = wr * oi + wi * or; // W^k O
      power[k] = (er + tr) ** 2 + (ei + ti) ** 2;
      power[M - k] = (er - tr) ** 2 + (ei - ti) ** 2;
    }
  };
}

/**
 * One decimation-in-frequency radix-2 stage over all of z [2M] (h = M/2, W = e^{−2πi/M}):
 *   a = z[j], b = z[j + h]  →  z[j] = a + b,  z[j + h] = (a − b)·W^j.
 * Afterwards the first half transforms to the even outputs X[2k'], the second to the odd ones.
 */
function radix2Stage(z: Float64Array, tw: Float64Array): void {
  const h = z.length >> 2; // M/2 complex points
  for (let j = 0; j < h; j++) {
    const a = 2 * j, b = 2 * (j + h);
    const ar = z[a], ai = z[a + 1], br = z[b], bi = z[b + 1];
    const dr = ar - br, di = ai - bi;
    const wr = tw[2 * j], wi = tw[2 * j + 1];
    z[a] = ar + br;
    z[a + 1] = ai + bi;
    z[b] = wr * dr - wi * di;
    z[b + 1] = wr * di + wi * dr;
  }
}

/**
 * In-place radix-4 decimation-in-frequency FFTs of every consecutive block of Q complex points of
 * z (Q = 4^s, the size the twiddles were made for). For a block of size L (q = L/4), j < q,
 * with a_r = z[j + r·q] and W = e^{−2πi/L}:
 *   z[j]      = (a0 + a2) + (a1 + a3)
 *   z[j + q]  = ((a0 − a2) − i(a1 − a3))·W^j
 *   z[j + 2q] = ((a0 + a2) − (a1 + a3))·W^2j
 *   z[j + 3q] = ((a0 − a2) + i(a1 − a3))·W^3j
 * then the same on each quarter, down to L = 4 (all twiddles 1). Output in base-4 digit-reversed order.
 */
function radix4Fft(z: Float64Array, twiddles: Float64Array[]): void {
  const end = z.length;
  for (let stage = 0; stage < twiddles.length; stage++) {
    const tw = twiddles[stage];
    const q2 = tw.length / 3; // 2q: a quarter block, in array slots
    const L2 = 4 * q2;
    for (let start = 0; start < end; start += L2) {
      for (let j = 0, w = 0; j < q2; j += 2, w += 6) {
        const i0 = start + j, i1 = i0 + q2, i2 = i1 + q2, i3 = i2 + q2;
        const a0r = z[i0], a0i = z[i0 + 1];
        const a1r = z[i1], a1i = z[i1 + 1];
        const a2r = z[i2], a2i = z[i2 + 1];
        const a3r = z[i3], a3i = z[i3 + 1];
        const t0r = a0r + a2r, t0i = a0i + a2i;
        const t1r = a0r - a2r, t1i = a0i - a2i;
        const t2r = a1r + a3r, t2i = a1i + a3i;
        const t3r = a1r - a3r, t3i = a1i - a3i;
        const y1r = t1r + t3i, y1i = t1i - t3r; // (a0 − a2) − i(a1 − a3)
        const y2r = t0r - t2r, y2i = t0i - t2i;
        const y3r = t1r - t3i, y3i = t1i + t3r; // (a0 − a2) + i(a1 − a3)
        const c1 = tw[w], s1 = tw[w + 1], c2 = tw[w + 2], s2 = tw[w + 3], c3 = tw[w + 4], s3 = tw[w + 5];
        z[i0] = t0r + t2r;
        z[i0 + 1] = t0i + t2i;
        z[i1] = c1 * y1r - s1 * y1i;
        z[i1 + 1] = c1 * y1i + s1 * y1r;
        z[i2] = c2 * y2r - s2 * y2i;
        z[i2 + 1] = c2 * y2i + s2 * y2r;
        z[i3] = c3 * y3r - s3 * y3i;
        z[i3 + 1] = c3 * y3i + s3 * y3r;
      }
    }
  }
  // L = 4: all twiddles are 1.
  for (let a = 0; a < end; a += 8) {
    const a0r = z[a], a0i = z[a + 1], a1r = z[a + 2], a1i = z[a + 3];
    const a2r = z[a + 4], a2i = z[a + 5], a3r = z[a + 6], a3i = z[a + 7];
    const t0r = a0r + a2r, t0i = a0i + a2i;
    const t1r = a0r - a2r, t1i = a0i - a2i;
    const t2r = a1r + a3r, t2i = a1i + a3i;
    const t3r = a1r - a3r, t3i = a1i - a3i;
    z[a] = t0r + t2r;
    z[a + 1] = t0i + t2i;
    z[a + 2] = t1r + t3i;
    z[a + 3] = t1i - t3r;
    z[a + 4] = t0r - t2r;
    z[a + 5] = t0i - t2i;
    z[a + 6] = t1r - t3i;
    z[a + 7] = t1i + t3r;
  }
}

function meydaPowerSpectrum(N: number): PowerSpectrumFn {
  const buffer = new Float32Array(N);
  return (frame, power) => {
    buffer.set(frame);
    // Meyda is one configured object; set what it reads on every call.
    Meyda.bufferSize = N;
    Meyda.windowingFunction = 'rect';
    // With one feature name, extract returns that feature itself: Float32Array [N/2].
    const spectrum = Meyda.extract('powerSpectrum', buffer) as unknown as Float32Array;
    for (let k = 0; k < N / 2; k++) power[k] = spectrum[k];
    let nyquist = 0;
    for (let n = 0; n < N; n++) nyquist += n & 1 ? -frame[n] : frame[n];
    power[N / 2] = nyquist * nyquist;
  };
}
