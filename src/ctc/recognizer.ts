/**
 * A speech recogniser from a loaded CTC model and its card: audio samples → features (the
 * settings the model was trained on) → CTC scores → greedy or beam decoding → text. This is what
 * `sori transcribe`, the recipes' decode stages and the browser demo run. Pure: model-files.ts
 * loads one from a directory (Node), model-url.ts from a URL (browser).
 */
import * as tf from '@tensorflow/tfjs';
import { speechFeatureDefaults, speechFeatures, type SpeechFeatureConfig } from '../audio/speech-features.ts';
import { fieldTypesOf, requireFields } from '../io/model-checks.ts';
import { decodeLabels, type SymbolTable } from '../text/symbol-table.ts';
import { ctcModelLogits, disposeCtcModel, type CtcModel, type CtcModelCard } from './acoustic-model.ts';
import { ctcBeamSearch } from './beam-search.ts';
import { ctcGreedyDecode } from './greedy-decode.ts';
import { checkBeam, checkKeys } from '../check.ts';
import { silenceSegments } from '../audio/silence-segments.ts';

/** Audio longer than this is recognised in segments cut at silences (silenceSegments). */
export const MAX_SEGMENT_SECONDS = 30;
import { ctcForcedAlign } from './forced-align.ts';
import { labelSpans, wordSpans, type TimedText } from './timestamps.ts';

/** A transcript with timestamps (seconds from the start of the audio). */
export interface Recognition {
  text: string;
  /** D, the audio's length in seconds. */
  duration: number;
  /** The words (symbols between '<space>'s) in order, each inside [0, D]. */
  words: TimedText[];
  /** Every output symbol ('<space>' included) in order, from the CTC forced alignment. */
  symbols: TimedText[];
}

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
  /**
   * Transcribe as `transcribe` does, then force-align the answer to the model's frame scores
   * (ctcForcedAlign) for the time span of each symbol and word (timestamps.ts).
   */
  recognize(samples: Float32Array, options?: { beam?: number }): Recognition;
  dispose(): void;
}

/** The recogniser of a loaded model (ctcModelFromCard, loadCtcModel); dispose() disposes the model. */
export function createRecognizer({ model, card }: { model: CtcModel; card: CtcModelCard }): Recognizer {
  try {
    requireFields(card.features, fieldTypesOf(speechFeatureDefaults), 'model.json: features');
    checkKeys(card.features, Object.keys(speechFeatureDefaults), 'model.json: features');
  } catch (err) {
    disposeCtcModel(model);
    throw err;
  }
  const features = card.features as SpeechFeatureConfig;
  const table: SymbolTable = { symbols: card.symbols, blank: card.blank };
  const recognizer: Recognizer = {
    sampleRate: features.sampleRate,
    card,
    model,
    transcribe: (samples, options = {}) => recognizer.recognize(samples, options).text,
    recognize(samples, { beam = 1 } = {}) {
      checkBeam(beam, 'beam');
      // Long audio in bounded windows: segments of at most 30 s cut at silences, each with its own
      // features and CMVN; times are shifted back to the whole recording's.
      const segments = silenceSegments(samples, features.sampleRate, { maxSeconds: MAX_SEGMENT_SECONDS });
      if (segments.length === 1) return recognizeSegment(samples, beam);
      const parts = segments.map(([start, end]) => {
        const r = recognizeSegment(samples.subarray(start, end), beam);
        const shift = (t: TimedText) => ({ ...t, start: t.start + start / features.sampleRate, end: t.end + start / features.sampleRate });
        return { text: r.text.trim(), words: r.words.map(shift), symbols: r.symbols.map(shift) };
      });
      return {
        text: parts.map((p) => p.text).filter((t) => t !== '').join(' '),
        duration: samples.length / features.sampleRate,
        words: parts.flatMap((p) => p.words),
        symbols: parts.flatMap((p) => p.symbols),
      };
    },
    dispose: () => disposeCtcModel(model),
  };
  /** One segment (the whole of audio up to 30 s): features → CTC scores → labels → forced alignment. */
  function recognizeSegment(samples: Float32Array, beam: number): Recognition {
    const feats = speechFeatures(samples, features); // [T, F]
    const T = feats.shape[0];
    const x = tf.reshape(feats, [1, T, feats.shape[1]]) as tf.Tensor3D; // [1, T, F]
    const { logits, lengths } = ctcModelLogits(model, x, [T]);
    const labels =
      beam > 1
        ? ctcBeamSearch(logits, { blank: card.blank, beamWidth: beam, inputLengths: lengths })[0][0].labels
        : ctcGreedyDecode(logits, { blank: card.blank, inputLengths: lengths })[0];
    const frames = tf.tidy(() => tf.reshape(tf.slice(logits, [0, 0, 0], [1, lengths[0], -1]), [lengths[0], -1])) as tf.Tensor2D; // [T/k, V]
    const alignment = ctcForcedAlign(frames, labels, { blank: card.blank });
    tf.dispose([feats, x, logits, frames]);
    const duration = samples.length / features.sampleRate;
    const frameSeconds = (model.config.frameStack * features.frameShift) / 1000;
    const spans = labelSpans(alignment, labels.length, frameSeconds, duration);
    const names = labels.map((id) => card.symbols[id]);
    return {
      text: decodeLabels(labels, table),
      duration,
      words: wordSpans(names, spans),
      symbols: names.map((text, u) => ({ text, ...spans[u] })),
    };
  }
  return recognizer;
}
