/**
 * The pictures of one utterance through a CTC model: its log-mel spectrogram with the aligned
 * labels above it, the posteriorgram with the forced alignment, and the α-β trellis. Shared by
 * `sori plot alignment|trellis|spectrogram` and the speech recipes' report stage. No Node
 * imports (the caller loads the audio).
 */
import * as tf from '@tensorflow/tfjs';
import { fbank } from '../audio/mfcc.ts';
import { featureRows } from '../audio/features.ts';
import { speechFeatures, type SpeechFeatureConfig } from '../audio/speech-features.ts';
import { ctcModelLogits, type CtcModel, type CtcModelCard } from '../ctc/acoustic-model.ts';
import { ctcAlphaBeta } from '../ctc/alpha-beta.ts';
import { ctcForcedAlign } from '../ctc/forced-align.ts';
import { ctcGreedyDecode } from '../ctc/greedy-decode.ts';
import { decodeLabels, encodeTranscript } from '../text/symbol-table.ts';
import { posteriorgramPlot } from './posteriorgram.ts';
import { segmentsFromPath, spectrogramPlot } from './spectrogram.ts';
import type { PlotSpec } from './style.ts';
import { trellisPlot } from './trellis.ts';

export interface UtterancePictures {
  /** Log-mel spectrogram (40 bins) with each aligned label above its frames. */
  spectrogram: PlotSpec;
  /** Posteriorgram [T′, C] with the forced alignment. */
  posteriorgram: PlotSpec;
  /** log α and log β over T′ × (2U + 1), the alignment drawn over them. */
  trellis: PlotSpec;
  /** The greedy transcript. */
  recognised: string;
  /** The transcript aligned: `text` when given, else the greedy transcript. */
  aligned: string;
  /** log p(text | audio) from the forward variables. */
  logLikelihood: number;
}

/**
 * Run the model on one utterance and build its three pictures.
 * @param recognizer the model and its card (loadCtcModel or loadRecognizer give both).
 * @param samples mono audio [N] at the model's sample rate.
 * @param options.text the transcript to align (default: what the model recognises).
 * @param options.name shown in the titles (e.g. the file or utterance id).
 */
export function utterancePictures(
  recognizer: { model: CtcModel; card: CtcModelCard },
  samples: Float32Array,
  options: { text?: string; name?: string } = {},
): UtterancePictures {
  const { model, card } = recognizer;
  const features = card.features as SpeechFeatureConfig;
  const table = { symbols: card.symbols, blank: card.blank };
  const { logits, probs, T, greedy } = tf.tidy(() => {
    const feats = speechFeatures(samples, features); // [T, F]
    const x = tf.reshape(feats, [1, feats.shape[0], feats.shape[1]]) as tf.Tensor3D; // [1, T, F]
    const out = ctcModelLogits(model, x, [feats.shape[0]]);
    const logits = tf.squeeze(out.logits, [0]) as tf.Tensor2D; // [T′, C]
    const greedy = ctcGreedyDecode(out.logits, { blank: card.blank, inputLengths: out.lengths })[0];
    return { logits, probs: tf.softmax(logits), T: out.lengths[0], greedy };
  });
  try {
    const recognised = decodeLabels(greedy, table);
    const aligned = options.text ?? recognised;
    const labels = encodeTranscript(aligned, table, options.text !== undefined ? '--text' : 'the recognised transcript');
    const alignment = ctcForcedAlign(logits, labels, { blank: card.blank });
    const ab = ctcAlphaBeta(logits, labels, { blank: card.blank });
    const frameShiftMs = features.frameShift * model.config.frameStack;
    const name = options.name ? ` · ${options.name}` : '';
    const shown = (s: string) => s.replace(/<space>/g, ' ');
    const subtitle = `aligned: “${shown(aligned)}”` + (options.text !== undefined ? `; recognised: “${shown(recognised)}”` : ' (the recognised text)');
    const mel = fbank(samples, { sampleRate: features.sampleRate, numMelBins: 40, frameLength: features.frameLength, frameShift: features.frameShift });
    const symbolOf = (k: number) => (k === card.blank ? null : card.symbols[k] === '<space>' ? '␣' : card.symbols[k]);
    const result = {
      spectrogram: spectrogramPlot({
        features: featureRows(mel),
        frameShiftMs: features.frameShift,
        transcript: shown(aligned),
        segments: segmentsFromPath(alignment.path.map(symbolOf), model.config.frameStack),
        title: `Log-mel spectrogram (40 bins)${name}`,
      }),
      posteriorgram: posteriorgramPlot({
        probs: probs.arraySync() as number[][],
        symbols: card.symbols,
        blank: card.blank,
        path: alignment.path,
        frameShiftMs,
        title: `CTC posteriorgram with the forced alignment${name}`,
        subtitle,
      }),
      trellis: trellisPlot({
        logAlpha: ab.logAlpha.arraySync(),
        logBeta: ab.logBeta.arraySync(),
        extendedLabels: ab.extendedLabels,
        symbols: card.symbols,
        blank: card.blank,
        alignment: alignment.labelIndex,
        frameShiftMs,
        title: `CTC trellis: log α_t(s) and log β_t(s)${name}`,
        subtitle: `${subtitle}; T = ${T} frames, S = ${ab.extendedLabels.length}; log p = ${ab.logLikelihood.toFixed(2)}`,
      }),
      recognised,
      aligned,
      logLikelihood: ab.logLikelihood,
    };
    tf.dispose([ab.logAlpha, ab.logBeta]);
    return result;
  } finally {
    tf.dispose([logits, probs]);
  }
}
