/**
 * Kaldi MFCC and log-mel filterbank features (compute-mfcc-feats / compute-fbank-feats), with the
 * defaults of torchaudio.compliance.kaldi.mfcc, which they match to float32 rounding.
 *
 * For each frame t (frames.ts: snip-edges, DC removal, pre-emphasis 0.97, Povey window, zero-padded
 * from L = 400 to N = 512 samples at 16 kHz):
 *   P[k]  = |FFT(x)[k]|²                                   power spectrum, k = 0 … N/2
 *   E[m]  = ln max(Σ_k W[m, k] P[k], ε)                    log mel energies (fbank), m < M = 23,
 *                                                          ε = 2⁻²³ (float32 epsilon): silence stays finite
 *   c[i]  = Σ_m D[i, m] E[m]                               DCT-II, orthonormal: D[0, m] = √(1/M),
 *                                                          D[i, m] = √(2/M) cos(π i (m + ½)/M)
 *   c[i] *= 1 + (Q/2) sin(π i / Q)                         cepstral lifter, Q = 22
 * and with useEnergy, c[0] is replaced by ln max(Σ_j x_j², 1) (raw energy after DC removal, floor 1).
 *
 * Sample scale: Kaldi reads 16-bit WAVs as integers, so its numbers (and torchaudio's, fed
 * int16-valued tensors) are those of x · 32768 for x in [-1, 1]. mfcc takes samples in [-1, 1] (as
 * loadAudio gives them) and multiplies by `scale` = 32768 by default. The scale only shifts the log
 * energies by 2 ln(scale), i.e. c[0] by 2√M ln(scale); c[1…] do not depend on it.
 *
 * Engines: this file's frame loop (float64) is the readable reference ('js'). By default the same
 * steps run in WebAssembly SIMD (mfcc-wasm.ts, src/native/audio-mfcc.c: float32 as in Kaldi and
 * torchaudio, four frames at a time; `npm run bench -- mfcc` times both engines), with tables
 * made here. Where WebAssembly SIMD does not load, the default falls back to this loop.
 */
import { checkKeys } from '../check.ts';
import type { Features } from './features.ts';
import { frameCount, prepareFrame, windowFunction, WINDOW_TYPES, type WindowType } from './frames.ts';
import { melSegments } from './mel-filterbank.ts';
import { wasmFrames, wasmFramesAvailable, type CepstrumTables, type FrameTables } from './mfcc-wasm.ts';
import {
  powerSpectrumFn, realFftTables, SPECTRUM_ENGINES, type PowerSpectrumFn, type RealFftTables, type SpectrumEngine,
} from './power-spectrum.ts';

/** Options shared by fbank and mfcc; every default is Kaldi's (as torchaudio has them). */
export interface FbankOptions {
  /** Hz (16000). */
  sampleRate?: number;
  /** ms (25). */
  frameLength?: number;
  /** ms (10). */
  frameShift?: number;
  /** k in x[j] −= k·x[j−1] (0.97); 0 turns it off. */
  preemphasis?: number;
  /** 'povey' (default), 'hamming', 'hanning', 'rectangular'. */
  window?: WindowType;
  /** M (23). */
  numMelBins?: number;
  /** Hz (20). */
  lowFreq?: number;
  /** Hz; ≤ 0 means Nyquist + highFreq (0: Nyquist). */
  highFreq?: number;
  /** Multiplier applied to the samples first (32768: Kaldi's 16-bit integer scale). */
  scale?: number;
  /** Who computes |FFT|²: 'fft' (default, our real FFT) or 'meyda' (Meyda.extract). */
  spectrum?: SpectrumEngine;
  /**
   * Who runs the frame loop: 'wasm' (WebAssembly SIMD, float32; the default with spectrum 'fft'
   * where it loads) or 'js' (this file, float64: the reference; the only engine for 'meyda').
   */
  engine?: FrameEngine;
}

export type FrameEngine = 'wasm' | 'js';
export const FRAME_ENGINES: readonly FrameEngine[] = ['wasm', 'js'];

export interface MfccOptions extends FbankOptions {
  /** Cepstra kept, including c0 (13). */
  numCeps?: number;
  /** Q (22); 0 turns liftering off. */
  cepstralLifter?: number;
  /** Replace c0 by the log raw frame energy (false, as torchaudio; Kaldi's binary defaults to true). */
  useEnergy?: boolean;
}

const FBANK_KEYS = [
  'sampleRate', 'frameLength', 'frameShift', 'preemphasis', 'window',
  'numMelBins', 'lowFreq', 'highFreq', 'scale', 'spectrum', 'engine',
] as const;
const MFCC_KEYS = [...FBANK_KEYS, 'numCeps', 'cepstralLifter', 'useEnergy'] as const;

/** float32 machine epsilon, the floor under every mel energy (Kaldi, torchaudio). */
const EPSILON = 1.1920928955078125e-7;

function checkSamples(samples: Float32Array, name: string): void {
  if (!(samples instanceof Float32Array)) {
    throw new Error(`${name}: samples must be a Float32Array [N], got ${Object.prototype.toString.call(samples)}`);
  }
}

function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p <<= 1;
  return p;
}

/**
 * Everything fixed by the options, built once and cached: the frame loop's tables (frame length,
 * shift, FFT length, mel bins, pre-emphasis, scale, window, mel segments: FrameTables) and buffers.
 */
interface Plan extends Omit<FrameTables, 'fft'> {
  /** A[s] = Σ_{k∈s} P[k], B[s] = Σ_{k∈s} u[k] P[k] of the last frame [M + 1] */
  A: Float64Array;
  B: Float64Array;
  power: PowerSpectrumFn;
  /** the real FFT's tables (for the wasm engine; null with spectrum 'meyda') */
  fft: RealFftTables | null;
  /** windowed, zero-padded frame [N] */
  frame: Float64Array;
  /** power spectrum [N/2 + 1] */
  P: Float64Array;
  /** log mel energies of the last frame [M] */
  logMel: Float64Array;
}

const plans = new Map<string, Plan>();

function plan(options: FbankOptions): Plan {
  const sampleRate = options.sampleRate ?? 16000;
  const frameLength = options.frameLength ?? 25;
  const frameShift = options.frameShift ?? 10;
  const preemphasis = options.preemphasis ?? 0.97;
  const window = options.window ?? 'povey';
  const M = options.numMelBins ?? 23;
  const scale = options.scale ?? 32768;
  const engine = options.spectrum ?? 'fft';
  const lowFreq = options.lowFreq ?? 20;
  const highFreq = options.highFreq ?? 0;
  const key = JSON.stringify([sampleRate, frameLength, frameShift, preemphasis, window, M, scale, engine, lowFreq, highFreq]);
  const cached = plans.get(key);
  if (cached) return cached;
  if (!(sampleRate > 0)) throw new Error(`mfcc: sampleRate must be > 0, got ${sampleRate}`);
  const L = Math.floor((sampleRate * frameLength) / 1000);
  const S = Math.floor((sampleRate * frameShift) / 1000);
  if (!(L >= 2)) throw new Error(`mfcc: frameLength ${frameLength} ms gives ${L} samples; need ≥ 2`);
  if (!(S >= 1)) throw new Error(`mfcc: frameShift ${frameShift} ms gives ${S} samples; need ≥ 1`);
  if (!(preemphasis >= 0 && preemphasis <= 1)) throw new Error(`mfcc: preemphasis must be in [0, 1], got ${preemphasis}`);
  if (!WINDOW_TYPES.includes(window)) throw new Error(`mfcc: window must be one of ${WINDOW_TYPES.join(', ')}, got '${window}'`);
  if (!SPECTRUM_ENGINES.includes(engine)) throw new Error(`mfcc: spectrum must be one of ${SPECTRUM_ENGINES.join(', ')}, got '${engine}'`);
  if (!(Number.isFinite(scale) && scale > 0)) throw new Error(`mfcc: scale must be a positive number, got ${scale}`);
  if (!Number.isInteger(M)) throw new Error(`mfcc: numMelBins must be an integer, got ${M}`);
  const N = Math.max(8, nextPowerOfTwo(L));
  const p: Plan = {
    L, S, N, M, preemphasis, scale,
    w: windowFunction(window, L),
    segments: melSegments(M, N, sampleRate, lowFreq, highFreq),
    A: new Float64Array(M + 1),
    B: new Float64Array(M + 1),
    power: powerSpectrumFn(N, engine),
    fft: engine === 'fft' ? realFftTables(N) : null,
    frame: new Float64Array(N),
    P: new Float64Array(N / 2 + 1),
    logMel: new Float64Array(M),
  };
  if (plans.size >= 32) plans.clear();
  plans.set(key, p);
  return p;
}

/** The engine `options` ask for: 'wasm' by default with spectrum 'fft' where it loads, else 'js'. */
function frameEngine(options: FbankOptions, p: Plan): FrameEngine {
  const engine = options.engine ?? (p.fft && wasmFramesAvailable() ? 'wasm' : 'js');
  if (!FRAME_ENGINES.includes(engine)) throw new Error(`mfcc: engine must be one of ${FRAME_ENGINES.join(', ')}, got '${engine}'`);
  if (engine === 'wasm' && !p.fft) throw new Error(`mfcc: engine 'wasm' computes its own FFT; spectrum 'meyda' needs engine 'js'`);
  return engine;
}

/** Frame starting at `start` → p.logMel [M] = ln max(W P, ε); returns the raw energy Σ x̃². */
function logMelFrame(samples: Float32Array, start: number, p: Plan): number {
  const rawEnergy = prepareFrame(samples, start, p.w, p.preemphasis, p.scale, p.frame);
  p.power(p.frame, p.P);
  const { M, P, logMel, A, B } = p;
  const { first, end, u } = p.segments;
  // Σ_k W[m, k] P[k] = B[m] + A[m + 1] − B[m + 1]: one visit per bin (melSegments).
  for (let s = 0; s <= M; s++) {
    let a = 0;
    let b = 0;
    for (let k = first[s]; k < end[s]; k++) {
      a += P[k];
      b += u[k] * P[k];
    }
    A[s] = a;
    B[s] = b;
  }
  for (let m = 0; m < M; m++) {
    const e = B[m] + A[m + 1] - B[m + 1];
    logMel[m] = Math.log(e > EPSILON ? e : EPSILON);
  }
  return rawEnergy;
}

/**
 * Log mel filterbank energies (Kaldi fbank, use_energy false).
 * samples [N] in [-1, 1] → features [T, M], T = 1 + ⌊(N − L)/S⌋ (0 when N < L).
 */
export function fbank(samples: Float32Array, options: FbankOptions = {}): Features {
  checkKeys(options, FBANK_KEYS, 'fbank options');
  checkSamples(samples, 'fbank');
  const p = plan(options);
  const T = frameCount(samples.length, p.L, p.S);
  if (frameEngine(options, p) === 'wasm') return { data: wasmFrames(samples, T, { ...p, fft: p.fft! }, null), numFrames: T, dim: p.M };
  const data = new Float32Array(T * p.M);
  for (let t = 0; t < T; t++) {
    logMelFrame(samples, t * p.S, p);
    data.set(p.logMel, t * p.M);
  }
  return { data, numFrames: T, dim: p.M };
}

/**
 * Kaldi MFCCs. samples [N] in [-1, 1] at options.sampleRate → features [T, numCeps] (default [T, 13]),
 * T = 1 + ⌊(N − 400)/160⌋ at 16 kHz (0 when N < 400).
 */
export function mfcc(samples: Float32Array, options: MfccOptions = {}): Features {
  checkKeys(options, MFCC_KEYS, 'mfcc options');
  checkSamples(samples, 'mfcc');
  const numCeps = options.numCeps ?? 13;
  const Q = options.cepstralLifter ?? 22;
  const useEnergy = options.useEnergy ?? false;
  const p = plan(options);
  const M = p.M;
  if (!Number.isInteger(numCeps) || numCeps < 1 || numCeps > M) {
    throw new Error(`mfcc: numCeps must be an integer in [1, numMelBins = ${M}], got ${numCeps}`);
  }
  if (!(Q >= 0)) throw new Error(`mfcc: cepstralLifter must be ≥ 0, got ${Q}`);
  // D is symmetric about the middle band: D[i, M−1−m] = (−1)^i D[i, m], so with the folded energies
  //   E⁺[m] = E[m] + E[M−1−m],  E⁻[m] = E[m] − E[M−1−m]  (m < H = ⌈M/2⌉; for odd M, E±[H−1] = E[H−1], 0)
  // c[i] = Σ_{m<H} D[i, m] E⁺[m] for even i and Σ_{m<H} D[i, m] E⁻[m] for odd i: half the products.
  // Dh [numCeps, H] holds D[i, m], m < H, with the lifter folded in: D[i, m] · (1 + (Q/2) sin(πi/Q)).
  const H = (M + 1) >> 1;
  const Dh = new Float64Array(numCeps * H);
  for (let i = 0; i < numCeps; i++) {
    const lifter = Q === 0 ? 1 : 1 + (Q / 2) * Math.sin((Math.PI * i) / Q);
    for (let m = 0; m < H; m++) {
      const d = i === 0 ? Math.sqrt(1 / M) : Math.sqrt(2 / M) * Math.cos((Math.PI * i * (m + 0.5)) / M);
      Dh[i * H + m] = d * lifter;
    }
  }
  const T = frameCount(samples.length, p.L, p.S);
  if (frameEngine(options, p) === 'wasm') {
    const cepstrum: CepstrumTables = { numCeps, Dh, useEnergy };
    return { data: wasmFrames(samples, T, { ...p, fft: p.fft! }, cepstrum), numFrames: T, dim: numCeps };
  }
  const data = new Float32Array(T * numCeps);
  const E = p.logMel;
  const Eplus = new Float64Array(H);
  const Eminus = new Float64Array(H);
  for (let t = 0; t < T; t++) {
    const rawEnergy = logMelFrame(samples, t * p.S, p);
    for (let m = 0; m < H; m++) {
      const mirror = M - 1 - m;
      Eplus[m] = m === mirror ? E[m] : E[m] + E[mirror];
      Eminus[m] = m === mirror ? 0 : E[m] - E[mirror];
    }
    const row = t * numCeps;
    for (let i = 0; i < numCeps; i++) {
      const Efolded = i % 2 === 0 ? Eplus : Eminus;
      let c = 0;
      for (let m = 0; m < H; m++) c += Dh[i * H + m] * Efolded[m];
      data[row + i] = c;
    }
    // Kaldi: log energy floored at ln(energyFloor = 1) = 0 (and at ln ε before that).
    if (useEnergy) data[row] = Math.max(Math.log(Math.max(rawEnergy, EPSILON)), 0);
  }
  return { data, numFrames: T, dim: numCeps };
}
