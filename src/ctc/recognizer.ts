/**
 * A speech recogniser from a loaded CTC model and its card: audio samples → features (the
 * settings the model was trained on) → CTC scores → greedy or beam decoding → text. This is what
 * `sori transcribe`, the recipes' decode stages and the browser demo run. Pure: model-files.ts
 * loads one from a directory (Node), model-url.ts from a URL (browser).
 */
import * as tf from '@tensorflow/tfjs';
import { speechFeatures, type SpeechFeatureConfig } from '../audio/speech-features.ts';
import { decodeLabels, type SymbolTable } from '../text/symbol-table.ts';
import { ctcModelLogits, disposeCtcModel, type CtcModel, type CtcModelCard } from './acoustic-model.ts';
import { ctcBeamSearch } from './beam-search.ts';
import { ctcGreedyDecode } from './greedy-decode.ts';
import { checkBeam } from '../check.ts';

export interface Recognizer {
  /** The sample rate the model expects (resample audio to it, e.g. with loadAudio). */
  sampleRate: number;
  card: CtcModelCard;
  model: CtcModel;
  /**
   * Transcribe mono samples [N] at `sampleRate`. `beam` 1 (default) takes the best path per
   * frame (greedy); K > 1 runs prefix beam search with K hypotheses.
   */
  transcribe(samples: Float32Array, options?: { beam?: number }): string;
  dispose(): void;
}

/** The recogniser of a loaded model (ctcModelFromCard, loadCtcModel); dispose() disposes the model. */
export function createRecognizer({ model, card }: { model: CtcModel; card: CtcModelCard }): Recognizer {
  const features = card.features as SpeechFeatureConfig;
  const table: SymbolTable = { symbols: card.symbols, blank: card.blank };
  return {
    sampleRate: features.sampleRate,
    card,
    model,
    transcribe(samples, { beam = 1 } = {}) {
      checkBeam(beam, 'beam');
      const feats = speechFeatures(samples, features); // [T, F]
      const T = feats.shape[0];
      const x = tf.reshape(feats, [1, T, feats.shape[1]]) as tf.Tensor3D; // [1, T, F]
      const { logits, lengths } = ctcModelLogits(model, x, [T]);
      const labels =
        beam > 1
          ? ctcBeamSearch(logits, { blank: card.blank, beamWidth: beam, inputLengths: lengths })[0][0].labels
          : ctcGreedyDecode(logits, { blank: card.blank, inputLengths: lengths })[0];
      tf.dispose([feats, x, logits]);
      return decodeLabels(labels, table);
    },
    dispose: () => disposeCtcModel(model),
  };
}
