/**
 * The MFCC / fbank frame loop in WebAssembly SIMD (src/native/audio-mfcc.c, built by
 * `npm run build:native`; its bytes are embedded in audio-mfcc.wasm.ts, so nothing is read or fetched).
 *
 * The kernel runs the steps of mfcc.ts (framing, real FFT, mel energies, log, DCT) in float32 on four
 * frames at a time, one per SIMD lane. It computes nothing that needs cos, sin or exp: every table
 * (window, mel segments, FFT twiddles, DCT) comes from the TypeScript code, which stays the readable
 * reference; tests check that both give the same features.
 *
 * The module has its own linear memory; one call lays out, from __heap_base (16-byte aligned blocks):
 *   scratch [(N + K + 1 + 3M + 2) × 4 floats] | w [L] | u [K] | segFirst, segEnd [M + 1] | at [K] |
 *   split [K + 2] | radix2 [K] | radix4 [Σ stages] | dct [numCeps · ⌈M/2⌉] | samples [n] | out [T · D]
 * (K = N/2), copies the samples in and the features out, a chunk of frames at a time. Calls are
 * synchronous, so one region serves all.
 */
import { mfccKernel, mfccKernelUnavailable } from '../native/mfcc.ts';
import type { MelSegments } from './mel-filterbank.ts';
import type { RealFftTables } from './power-spectrum.ts';

/** What the frame loop needs, all fixed by the options (mfcc.ts builds it once per option set). */
export interface FrameTables {
  /** frame length, shift, FFT length, mel bins */
  L: number;
  S: number;
  N: number;
  M: number;
  preemphasis: number;
  scale: number;
  /** w [L] */
  w: Float64Array;
  segments: MelSegments;
  fft: RealFftTables;
}

/** DCT of the MFCC path: Dh [numCeps, ⌈M/2⌉] (lifter folded in, mfcc.ts), and useEnergy. */
export interface CepstrumTables {
  numCeps: number;
  Dh: Float64Array;
  useEnergy: boolean;
}

type Ptr = number;

/** Frames per kernel call: 16384 frames (2.7 min at 16 kHz) need about 11 MB of module memory. */
const CHUNK = 16384;

/**
 * Features of all frames of `samples` [n] (snip-edges, T frames) → data [T, D]: MFCCs (D = numCeps)
 * when `cepstrum` is given, log mel energies (D = M) when it is null.
 */
export function wasmFrames(
  samples: Float32Array,
  T: number,
  tables: FrameTables,
  cepstrum: CepstrumTables | null,
): Float32Array {
  const k = mfccKernel();
  if (!k) throw new Error(`mfcc: engine 'wasm' is unavailable here (${mfccKernelUnavailable()})`);
  const { L, S, N, M, segments, fft } = tables;
  const K = N >> 1;
  const D = cepstrum ? cepstrum.numCeps : M;
  const radix4Length = fft.radix4.reduce((n, stage) => n + stage.length, 0);
  // Lay out the blocks (sizes in 4-byte words), each starting on 16 bytes.
  let words = 0;
  const block = (n: number): Ptr => {
    const at = k.heapBase + 4 * words;
    words += (n + 3) & ~3;
    return at;
  };
  const scratch = block(4 * (N + K + 1 + 3 * M + 2));
  const w = block(L);
  const u = block(K);
  const segFirst = block(M + 1);
  const segEnd = block(M + 1);
  const at = block(K);
  const split = block(K + 2);
  const radix2 = block(K);
  const radix4 = block(radix4Length);
  const dct = block(cepstrum ? cepstrum.Dh.length : 0);
  // Long audio goes through in chunks of at most CHUNK frames, so the module's memory (which never
  // shrinks) stays small: chunk c holds frames [t0, t0 + Tc) and their samples [t0·S, (t0 + Tc − 1)·S + L).
  const chunkFrames = Math.min(T, CHUNK);
  const chunkSamples = chunkFrames > 0 ? (chunkFrames - 1) * S + L : 0;
  const x = block(chunkSamples);
  const out = block(chunkFrames * D);
  const needed = k.heapBase + 4 * words - k.memory.buffer.byteLength;
  if (needed > 0) k.memory.grow(Math.ceil(needed / 65536));
  // Views after growing (growth detaches earlier ones).
  const f32 = (ptr: Ptr, n: number) => new Float32Array(k.memory.buffer, ptr, n);
  const i32 = (ptr: Ptr, n: number) => new Int32Array(k.memory.buffer, ptr, n);
  const wScaled = f32(w, L); // w[j] · scale: the kernel windows the unscaled samples
  for (let j = 0; j < L; j++) wScaled[j] = tables.w[j] * tables.scale;
  f32(u, K).set(segments.u);
  i32(segFirst, M + 1).set(segments.first);
  i32(segEnd, M + 1).set(segments.end);
  i32(at, K).set(fft.at);
  f32(split, K + 2).set(fft.split);
  f32(radix2, K).set(fft.radix2);
  let offset = radix4;
  for (const stage of fft.radix4) {
    f32(offset, stage.length).set(stage);
    offset += 4 * stage.length;
  }
  if (cepstrum) f32(dct, cepstrum.Dh.length).set(cepstrum.Dh);
  const data = new Float32Array(T * D); // [T, D]
  for (let t0 = 0; t0 < T; t0 += CHUNK) {
    const Tc = Math.min(CHUNK, T - t0);
    f32(x, (Tc - 1) * S + L).set(samples.subarray(t0 * S, (t0 + Tc - 1) * S + L));
    k.audio_mfcc_frames(
      x, Tc, S, L, N, M, tables.preemphasis, tables.scale,
      w, u, segFirst, segEnd, at, split, radix2, radix4,
      dct, cepstrum ? cepstrum.numCeps : 0, cepstrum?.useEnergy ? 1 : 0, scratch, out,
    );
    data.set(f32(out, Tc * D), t0 * D);
  }
  return data;
}

/** True where the WebAssembly SIMD kernel loads (then it is mfcc's default engine). */
export function wasmFramesAvailable(): boolean {
  return mfccKernel() !== null;
}

/** Why wasmFramesAvailable() is false ('' when it is not). */
export function wasmFramesUnavailable(): string {
  return mfccKernelUnavailable();
}
