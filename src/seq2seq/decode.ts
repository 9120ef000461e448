/**
 * Translate id sequences with a Seq2Seq model, or an ensemble of them (an array: the mean of
 * their log-probabilities, ensemble.ts): encode the batch once, then search (greedy or beam) over
 * the decoder's steps. Returns the best hypothesis per source, with its attention
 * matrix [U(+1)][T_b] (rows: output steps including <eos>; columns: source symbols + <eos>).
 */
import { checkKeys } from '../check.ts';
import { EOS, type Vocabulary } from '../text/vocabulary.ts';
import { sourceBatch } from './batch.ts';
import { followBeams, selectRows, stateTensors, type DecoderState, type Seq2Seq } from './model.ts';
import { beamSearch, greedySearch, type Freeable, type Hypothesis, type StepDecoder } from './search.ts';
import { nativeStepDecoder } from './native-step.ts';
import type { AttentionKernel } from './attention.ts';
import { nativeKernelsUnavailable } from '../native/kernels.ts';
import { ensembleDecoder } from './ensemble.ts';
import * as tf from '@tensorflow/tfjs';

/** The model as the search sees it. */
export function stepDecoder(model: Seq2Seq, { attentionKernel }: { attentionKernel?: AttentionKernel } = {}): StepDecoder<DecoderState> {
  return {
    step: (yPrev, state) => model.step(yPrev, state, { attentionKernel }),
    selectRows,
    followBeams,
    stateTensors,
  };
}

export interface TranslateOptions {
  /** K: 1 (default) is greedy search; K > 1 is beam search. */
  beamWidth?: number;
  /** Longest output in symbols (<eos> included); default 2·T_b + 10 for a source of T_b symbols. */
  maxLength?: number;
  /** α of beam search's score / |y|^α; default 1. Only for beamWidth > 1. */
  lengthPenalty?: number;
  /**
   * Who runs a single model's decoder steps: 'native' (default where it runs: native-step.ts, every
   * attention kind but 'bahdanau') or 'reference' (Seq2Seq.step in tfjs ops, the attention's
   * reference kernel included). Ensembles use Seq2Seq.step.
   */
  kernel?: 'native' | 'reference';
}

/**
 * Sources translated together, one batch through the encoder and the search: the only batch size
 * of decoding (translateIds cuts longer lists into batches of this many).
 */
export const DECODE_BATCH = 100;

/**
 * Translate source id rows (without special symbols; [B][T_b]) → the best hypothesis of each,
 * in batches of DECODE_BATCH. An empty source row is allowed (the encoder still sees its <eos>).
 */
export function translateIds(model: Seq2Seq | readonly Seq2Seq[], sources: readonly (readonly number[])[], options: TranslateOptions = {}): Hypothesis[] {
  checkKeys(options, ['beamWidth', 'maxLength', 'lengthPenalty', 'kernel'], 'translate options');
  const { beamWidth = 1, lengthPenalty, kernel } = options;
  if (kernel !== undefined && kernel !== 'native' && kernel !== 'reference') throw new Error(`kernel: expected 'native' or 'reference', got '${kernel}'`);
  if (!(Number.isInteger(beamWidth) && beamWidth >= 1)) throw new Error(`beamWidth: expected an integer ≥ 1 (1: greedy), got ${beamWidth}`);
  if (beamWidth === 1 && lengthPenalty !== undefined) {
    throw new Error(`lengthPenalty: only for beam search (beamWidth > 1), got ${lengthPenalty} with beamWidth 1`);
  }
  const out: Hypothesis[] = [];
  for (let i = 0; i < sources.length; i += DECODE_BATCH) out.push(...translateBatch(model, sources.slice(i, i + DECODE_BATCH), options));
  return out;
}

/** One batch of translateIds. */
function translateBatch(model: Seq2Seq | readonly Seq2Seq[], sources: readonly (readonly number[])[], options: TranslateOptions): Hypothesis[] {
  if (sources.length === 0) return [];
  const { source, sourceLengths } = sourceBatch(sources);
  try {
    if (!Array.isArray(model)) {
      const single = model as Seq2Seq;
      const native = options.kernel === 'reference' ? null : nativeStepDecoder(single);
      if (options.kernel === 'native' && !native) {
        throw new Error(`kernel: 'native' cannot run here: ${nativeKernelsUnavailable() || `attention '${single.config.attention}' has no native step`}`);
      }
      if (native) {
        const state0 = native.start(source.dataSync() as Int32Array, sourceLengths); // encoded in the module
        return search(native.decoder, state0, native.decoder.stateTensors, sources, sourceLengths, options);
      }
      const attentionKernel = options.kernel === 'reference' ? 'reference' : undefined;
      return search(stepDecoder(single, { attentionKernel }), single.encode(source, sourceLengths), stateTensors, sources, sourceLengths, options);
    }
    const members = model as readonly Seq2Seq[];
    const states = members.map((m) => m.encode(source, sourceLengths));
    return search(ensembleDecoder(members), states, (s) => s.flatMap(stateTensors), sources, sourceLengths, options);
  } finally {
    source.dispose();
  }
}

/** Greedy or beam search from `state0`, which it frees. */
function search<S>(
  decoder: StepDecoder<S>,
  state0: S,
  tensors: (state: S) => Freeable[],
  sources: readonly (readonly number[])[],
  sourceLengths: number[],
  options: TranslateOptions,
): Hypothesis[] {
  const { beamWidth = 1, lengthPenalty } = options;
  // each sample's own limit, so that where its output is cut never depends on its batch mates
  const maxLength = options.maxLength ?? sources.map((s) => 2 * s.length + 10);
  try {
    if (beamWidth === 1) return greedySearch(decoder, state0, sourceLengths, { maxLength });
    return beamSearch(decoder, state0, sourceLengths, { beamWidth, maxLength, lengthPenalty }).map((hyps) => hyps[0]);
  } finally {
    for (const t of tensors(state0)) t.dispose();
  }
}

/** One translated sentence, with what is needed to inspect or draw its attention. */
export interface Translation {
  /** the output text ('' for an empty input) */
  text: string;
  /** the source symbols the encoder read, its <eos> last: the attention's columns [T_b] */
  sourceTokens: string[];
  /** the output symbols, '<eos>' last when finished: the attention's rows [U(+1)] */
  targetTokens: string[];
  /** α [U(+1)][T_b] */
  attention: number[][];
  /** log p(output | source) */
  score: number;
}

/**
 * Translate texts: tokenise with the source vocabulary (unknown symbols → <unk>), search, and
 * detokenise with the target vocabulary. An empty (or all-white-space) text gives '' without
 * running the model; a text of unknown symbols still gets the model's answer.
 */
export function translateTexts(
  model: Seq2Seq | readonly Seq2Seq[],
  vocabularies: { source: Vocabulary; target: Vocabulary },
  texts: readonly string[],
  options: TranslateOptions = {},
): Translation[] {
  const { source, target } = vocabularies;
  for (const m of Array.isArray(model) ? (model as readonly Seq2Seq[]) : [model as Seq2Seq]) {
    if (source.size !== m.config.sourceVocabSize || target.size !== m.config.targetVocabSize) {
      throw new Error(
        `vocabularies: sizes ${source.size} / ${target.size} do not match the model's ` +
          `${m.config.sourceVocabSize} / ${m.config.targetVocabSize} (source / target)`,
      );
    }
  }
  const tokens = texts.map((text) => source.tokenize(text));
  const busy = tokens.map((t, i) => (t.length > 0 ? i : -1)).filter((i) => i >= 0);
  const hyps = translateIds(model, busy.map((i) => tokens[i].map((token) => source.id(token))), options);
  const out: Translation[] = texts.map(() => ({ text: '', sourceTokens: [], targetTokens: [], attention: [], score: 0 }));
  busy.forEach((i, k) => {
    const h = hyps[k];
    out[i] = {
      text: target.decode(h.tokens),
      sourceTokens: [...tokens[i].map((token) => source.token(source.id(token))), EOS],
      targetTokens: [...target.decodeTokens(h.tokens), ...(h.finished ? [EOS] : [])],
      attention: h.attention,
      score: h.score,
    };
  });
  return out;
}
