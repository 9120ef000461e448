/**
 * The feature pipeline of the speech recipes, as one typed config: samples → MFCC [T, 13]
 * (Kaldi defaults) → optional per-utterance CMVN → optional Δ, ΔΔ (Kaldi's order:
 * apply-cmvn, then add-deltas). A model directory stores
 * this config, so `sori transcribe` computes exactly the features the model was trained on.
 */
import type * as tf from '@tensorflow/tfjs';
import { checkKeys } from '../check.ts';
import { cmvn } from './cmvn.ts';
import { addDeltas } from './deltas.ts';
import { featuresTensor } from './features.ts';
import { mfcc } from './mfcc.ts';

export type SpeechFeatureConfig = {
  /** Hz; audio is resampled to it on loading. */
  sampleRate: number;
  numCeps: number;
  numMelBins: number;
  /** ms */
  frameLength: number;
  /** ms */
  frameShift: number;
  /** 0: MFCCs only; 1: + Δ; 2: + Δ + ΔΔ (39 dimensions from 13). */
  deltaOrder: number;
  /** Per-utterance mean and variance normalisation. */
  cmvn: boolean;
};

export const speechFeatureDefaults: SpeechFeatureConfig = {
  sampleRate: 16000,
  numCeps: 13,
  numMelBins: 23,
  frameLength: 25,
  frameShift: 10,
  deltaOrder: 0,
  cmvn: true,
};

/** F: features per frame under `config`. */
export function speechFeatureDim(config: SpeechFeatureConfig): number {
  return config.numCeps * (1 + config.deltaOrder);
}

/** samples [N] at config.sampleRate → features [T, F] (a tensor the caller disposes). */
export function speechFeatures(samples: Float32Array, config: SpeechFeatureConfig): tf.Tensor2D {
  checkKeys(config, Object.keys(speechFeatureDefaults), 'speech feature config');
  let f = mfcc(samples, {
    sampleRate: config.sampleRate,
    numCeps: config.numCeps,
    numMelBins: config.numMelBins,
    frameLength: config.frameLength,
    frameShift: config.frameShift,
  });
  if (config.cmvn) f = cmvn(f);
  if (config.deltaOrder > 0) f = addDeltas(f, { order: config.deltaOrder });
  return featuresTensor(f); // [T, F]
}
