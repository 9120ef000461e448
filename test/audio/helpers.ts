// Shared reading of the audio fixtures (made by test/fixtures/audio/make_audio_fixtures.py).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Features } from '../../src/audio/features.ts';

export const FIXTURES = 'test/fixtures/audio';
export const fixture = (name: string): string => join(FIXTURES, name);
export const fixtureBytes = (name: string): Uint8Array => new Uint8Array(readFileSync(fixture(name)));

export interface UtteranceReference {
  numSamples: number;
  mfcc: number[][];
  mfccHamming: number[][];
  mfccUseEnergy: number[][];
  fbank: number[][];
  deltas: number[][];
  deltaDeltas: number[][];
  cmvn: number[][];
}
export const reference: {
  utterances: Record<string, UtteranceReference>;
  silence: number[][];
} = JSON.parse(readFileSync(fixture('reference.json'), 'utf8'));

/** Largest |ours − reference| over all frames and coefficients (frame counts must match). */
export function maxAbsDiff(ours: Features, ref: number[][]): number {
  let max = 0;
  for (let t = 0; t < ref.length; t++) {
    for (let f = 0; f < ref[t].length; f++) max = Math.max(max, Math.abs(ours.data[t * ours.dim + f] - ref[t][f]));
  }
  return max;
}

/** Mean over coefficients of the Pearson correlation over frames (the agreement measure). */
export function meanPearson(ours: Features, ref: number[][]): number {
  const F = ours.dim;
  const T = ref.length;
  let total = 0;
  for (let f = 0; f < F; f++) {
    let mx = 0, my = 0;
    for (let t = 0; t < T; t++) {
      mx += ours.data[t * F + f];
      my += ref[t][f];
    }
    mx /= T;
    my /= T;
    let sxy = 0, sxx = 0, syy = 0;
    for (let t = 0; t < T; t++) {
      const dx = ours.data[t * F + f] - mx;
      const dy = ref[t][f] - my;
      sxy += dx * dy;
      sxx += dx * dx;
      syy += dy * dy;
    }
    total += sxy / Math.sqrt(sxx * syy);
  }
  return total / F;
}
