/**
 * Power spectrum of a real frame: P[k] = |X[k]|², X[k] = Σ_{n<N} x[n] e^{−2πi kn/N}, k = 0 … N/2.
 *
 * Two engines compute the same numbers:
 * - 'fft' (default): a radix-2 real FFT written for this: the N real samples are packed as N/2
 *   complex ones z[n] = x[2n] + i·x[2n+1], transformed (iterative Cooley–Tukey, precomputed
 *   twiddles), and split: X[k] = E[k] + e^{−2πik/N} O[k] with E[k] = (Z[k] + Z*[N/2−k])/2,
 *   O[k] = (Z[k] − Z*[N/2−k])/(2i). About 15× faster than Meyda.
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

function realFftPowerSpectrum(N: number): PowerSpectrumFn {
  const M = N >> 1; // complex FFT size (≥ 4 here: N ≥ 8)
  const bitReversed = new Uint32Array(M);
  const bits = Math.round(Math.log2(M));
  for (let i = 0; i < M; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
    bitReversed[i] = r;
  }
  // Twiddles w = e^{−2πi j/size} for each stage size = 8, 16, …, M, stored stage after stage.
  const stageCos: Float64Array[] = [];
  const stageSin: Float64Array[] = [];
  for (let size = 8; size <= M; size <<= 1) {
    const half = size >> 1;
    const c = new Float64Array(half);
    const s = new Float64Array(half);
    for (let j = 0; j < half; j++) {
      c[j] = Math.cos((2 * Math.PI * j) / size);
      s[j] = -Math.sin((2 * Math.PI * j) / size);
    }
    stageCos.push(c);
    stageSin.push(s);
  }
  const cosN = new Float64Array(M);
  const sinN = new Float64Array(M);
  for (let k = 0; k < M; k++) {
    cosN[k] = Math.cos((2 * Math.PI * k) / N);
    sinN[k] = -Math.sin((2 * Math.PI * k) / N);
  }
  const re = new Float64Array(M);
  const im = new Float64Array(M);

  return (frame, power) => {
    for (let n = 0; n < M; n++) {
      const r = bitReversed[n];
      re[r] = frame[2 * n];
      im[r] = frame[2 * n + 1];
    }
    // Stages of size 2 and 4 together (twiddles 1 and −i need no multiplications).
    for (let a = 0; a < M; a += 4) {
      const r0 = re[a] + re[a + 1], i0 = im[a] + im[a + 1];
      const r1 = re[a] - re[a + 1], i1 = im[a] - im[a + 1];
      const r2 = re[a + 2] + re[a + 3], i2 = im[a + 2] + im[a + 3];
      const r3 = re[a + 2] - re[a + 3], i3 = im[a + 2] - im[a + 3];
      re[a] = r0 + r2;
      im[a] = i0 + i2;
      re[a + 2] = r0 - r2;
      im[a + 2] = i0 - i2;
      // (−i)·(r3 + i·i3) = i3 − i·r3
      re[a + 1] = r1 + i3;
      im[a + 1] = i1 - r3;
      re[a + 3] = r1 - i3;
      im[a + 3] = i1 + r3;
    }
    for (let stage = 0, size = 8; size <= M; stage++, size <<= 1) {
      const half = size >> 1;
      const wc = stageCos[stage];
      const ws = stageSin[stage];
      for (let start = 0; start < M; start += size) {
        for (let j = 0; j < half; j++) {
          const wr = wc[j];
          const wi = ws[j];
          const a = start + j;
          const b = a + half;
          const tr = wr * re[b] - wi * im[b];
          const ti = wr * im[b] + wi * re[b];
          re[b] = re[a] - tr;
          im[b] = im[a] - ti;
          re[a] += tr;
          im[a] += ti;
        }
      }
    }
    // X[0] = Re Z0 + Im Z0, X[N/2] = Re Z0 − Im Z0.
    power[0] = (re[0] + im[0]) ** 2;
    power[M] = (re[0] - im[0]) ** 2;
    for (let k = 1; k < M; k++) {
      const zr = re[k];
      const zi = im[k];
      const cr = re[M - k]; // conj(Z[M−k]) = cr − i·ci
      const ci = -im[M - k];
      const er = 0.5 * (zr + cr);
      const ei = 0.5 * (zi + ci);
      // O = (Z − conj Z[M−k]) / (2i) = (dz_i − i·dz_r)/2 with dz = Z − conj Z[M−k]
      const orr = 0.5 * (zi - ci);
      const oi = -0.5 * (zr - cr);
      const xr = er + cosN[k] * orr - sinN[k] * oi;
      const xi = ei + cosN[k] * oi + sinN[k] * orr;
      power[k] = xr * xr + xi * xi;
    }
  };
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
