/**
 * The signal processing of the annyeong corpus generator (generate.ts), all on Float32Array samples
 * in [-1, 1]: silence trimming, coloured noise, padding, 16-bit WAV encoding.
 */
import type { NoiseKind, Rng, Utterance } from './draw-corpus.ts';
import { gauss, makeRng } from './draw-corpus.ts';
import { filteredNoise } from '../../src/index.ts';
// ---------------------------------------------------------------------------------------------
// Signal processing (all on Float32Array samples in [-1, 1]).

/** Keep [first, last] 10 ms frame whose RMS exceeds 1% (−40 dB) of the loudest frame, ±20 ms. */
export function trimSilence(x: Float32Array, sampleRate: number): Float32Array {
  const frame = Math.round(0.01 * sampleRate);
  const nFrames = Math.floor(x.length / frame);
  const rms = new Float64Array(nFrames);
  for (let f = 0; f < nFrames; f++) {
    let sum = 0;
    for (let i = f * frame; i < (f + 1) * frame; i++) sum += x[i] * x[i];
    rms[f] = Math.sqrt(sum / frame);
  }
  const threshold = 0.01 * Math.max(...rms);
  let first = 0;
  while (first < nFrames && rms[first] <= threshold) first++;
  let last = nFrames - 1;
  while (last > first && rms[last] <= threshold) last--;
  const margin = 2 * frame;
  return x.slice(Math.max(0, first * frame - margin), Math.min(x.length, (last + 1) * frame + margin));
}

/** Unit-variance noise of the given colour (filteredNoise: white, pink or brown), not mean-removed. */
export function makeNoise(rng: Rng, kind: NoiseKind, n: number): Float32Array {
  const out = filteredNoise(n, kind, () => gauss(rng));
  let power = 0;
  for (const v of out) power += v * v;
  const scale = 1 / Math.sqrt(power / n);
  for (let i = 0; i < n; i++) out[i] *= scale;
  return out;
}

/** Pad speech with silence and add noise at `snr` dB relative to the speech's mean power. */
export function padAndAddNoise(speech: Float32Array, u: Utterance): Float32Array {
  const lead = Math.round(u.lead * u.sampleRate);
  const trail = Math.round(u.trail * u.sampleRate);
  const y = new Float32Array(lead + speech.length + trail);
  y.set(speech, lead);
  if (u.snr !== null && u.noise !== 'none') {
    let speechPower = 0;
    for (const v of speech) speechPower += v * v;
    speechPower /= speech.length;
    const noiseStd = Math.sqrt(speechPower / 10 ** (u.snr / 10));
    const noise = makeNoise(makeRng(u.noiseSeed), u.noise, y.length);
    for (let i = 0; i < y.length; i++) y[i] += noiseStd * noise[i];
  }
  return y;
}

/** A 16-bit PCM WAV file; the same signal in every channel; values beyond [-1, 1] clip. */
export function encodeWav(x: Float32Array, sampleRate: number, channels: number): Buffer {
  const dataBytes = x.length * channels * 2;
  const buf = Buffer.alloc(44 + dataBytes);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + dataBytes, 4);
  buf.write('WAVE', 8, 'ascii');
  buf.write('fmt ', 12, 'ascii');
  buf.writeUInt32LE(16, 16); // fmt chunk size
  buf.writeUInt16LE(1, 20); // PCM
  buf.writeUInt16LE(channels, 22);
  buf.writeUInt32LE(sampleRate, 24);
  buf.writeUInt32LE(sampleRate * channels * 2, 28); // byte rate
  buf.writeUInt16LE(channels * 2, 32); // block align
  buf.writeUInt16LE(16, 34); // bits per sample
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(dataBytes, 40);
  let offset = 44;
  for (let i = 0; i < x.length; i++) {
    const v = Math.max(-32768, Math.min(32767, Math.round(x[i] * 32768)));
    for (let c = 0; c < channels; c++, offset += 2) buf.writeInt16LE(v, offset);
  }
  return buf;
}

// ---------------------------------------------------------------------------------------------
// Tools.
