/**
 * sori's browser entry: everything that runs without a file system or `process` (tensors,
 * models, features, decoding, metrics; model directories fetched from a URL, audio from bytes).
 * The Node entry, src/index.ts, re-exports all of it and adds files, training and recipes.
 * A module belongs here when none of its files imports node:*, cli-progress or yargs or reads
 * `process` (test/entry-points.test.ts checks the whole import graph of this file).
 */
// ---- TensorFlow.js itself, so that a page or a program has one import and one copy of it ----
export * as tf from '@tensorflow/tfjs';

// ---- backend: the tensor engine, reading tensors back, the gradient-recording check (src/backend) ----
export { initBackend, backendInfo, BACKENDS } from './backend/init.ts';
export type { BackendName, BackendInfo } from './backend/init.ts';
export { readFloat32 } from './backend/read.ts';
export { isRecordingGradients } from './backend/recording.ts';

// ---- argument checks that name the argument and the value found (src/check.ts) ----
export { checkRank, checkDim, checkInt, checkKeys, checkBeam } from './check.ts';

// ---- io: model weights as bytes (safetensors), named weights, model directories over HTTP (src/io) ----
export { encodeSafetensors, decodeSafetensors } from './io/safetensors-bytes.ts';
export { assignNamed, assignWeightBytes } from './io/named-weights.ts';
export type { NamedWeights } from './io/named-weights.ts';
export { fileUrl, fetchBytes, fetchJson, fetchAll } from './io/fetch.ts';

// ---- nn: the layers every model family shares (src/nn) ----
export { embeddingVariable, embeddingLookup } from './nn/embedding.ts';
export { linearLayer, applyLinear, linearWeights, linearProduct, disposeLinear } from './nn/linear.ts';
export type { Linear } from './nn/linear.ts';
export { dropout } from './nn/dropout.ts';
export { seedSequence, uniformInit, normalInit } from './nn/init.ts';
export { tidy } from './nn/tidy.ts';
export { maskedCrossEntropy } from './nn/cross-entropy.ts';
export type { CrossEntropyKernel } from './nn/cross-entropy.ts';

// ---- random: seeded draws for shuffles, initialisation, corpora (src/random.ts) ----
export { mulberry32, shuffled } from './random.ts';

// ── RNN stacks (src/rnn): SimpleRNN, LSTM, GRU, MGU cells; one direction over time; stacks ──
export { RnnStack } from './rnn/stack.ts';
export type { RnnStackOptions, RnnApplyOptions, RnnResult, RnnStates } from './rnn/stack.ts';
export { runDirection } from './rnn/layer.ts';
export type { RunDirectionOptions, RunDirectionResult } from './rnn/layer.ts';
export { CELL_KINDS, CELLS, cellSpec, cellStep } from './rnn/cell.ts';
export type { CellKind, CellSpec, CellState, CellDefinition, Recurrence, StateName } from './rnn/cell.ts';
export { simpleStep } from './rnn/simple.ts';
export type { SimpleWeights, SimpleState, SimpleNonlinearity, SimpleStepOptions } from './rnn/simple.ts';
export { lstmStep } from './rnn/lstm.ts';
export type { LstmWeights, LstmState } from './rnn/lstm.ts';
export { gruStep } from './rnn/gru.ts';
export type { GruWeights, GruState, GruForm, GruStepOptions } from './rnn/gru.ts';
export { mguStep } from './rnn/mgu.ts';
export type { MguWeights, MguState } from './rnn/mgu.ts';
export { initCellWeights, cellWeightShapes } from './rnn/weights.ts';
export type { CellWeights } from './rnn/weights.ts';
export type { TorchStateDict } from './rnn/torch-state-dict.ts';
// ── end RNN stacks ──

// ── RNN kernels with a hand-written backward pass (BPTT): 'native' (default) and 'fused' (src/rnn/bptt) ──
export {
  defaultRnnKernel,
  nativeKernelUnavailable,
  runFusedDirection,
  runNativeDirection,
  RNN_KERNELS,
} from './rnn/bptt/direction.ts';
export type { RnnKernel } from './rnn/bptt/direction.ts';
// ── end RNN kernels ──

// ---- ctc acoustic model: frames → RnnStack → linear (src/ctc/acoustic-model.ts) ----
export {
  createCtcModel,
  ctcModelDefaults,
  ctcModelLogits,
  ctcModelWeights,
  ctcModelFromCard,
  disposeCtcModel,
  stackFrames,
  stackedLength,
} from './ctc/acoustic-model.ts';
export type { CtcModel, CtcModelCard, CtcModelConfig } from './ctc/acoustic-model.ts';
export { fetchCtcModel } from './ctc/model-url.ts';

// ---- symbol tables of the speech recipes (src/text/symbol-table.ts; readSymbolTable: Node entry) ----
export { parseSymbolTable, encodeTranscript, decodeLabels, SPACE, BLANK } from './text/symbol-table.ts';
export type { SymbolTable } from './text/symbol-table.ts';

// ---- metrics: edit distance, CER/WER, transcript scoring (src/metrics, src/cli/score.ts) ----
export { editDistance } from './metrics/edit-distance.ts';
export type { EditCounts } from './metrics/edit-distance.ts';
export { characterErrorRate, wordErrorRate, totalErrorRate, errorRates, splitCharacters, splitWords } from './metrics/error-rate.ts';
export type { ErrorRate, CorpusErrorRates } from './metrics/error-rate.ts';
export { parseTranscripts, scoreTranscripts, formatScore } from './metrics/score-transcripts.ts';
export type { TranscriptLine, Score } from './metrics/score-transcripts.ts';

// ---- speech recognition pipeline: features config + recogniser (src/audio/speech-features.ts, src/ctc/recognizer.ts) ----
export { speechFeatures, speechFeatureDefaults, speechFeatureDim } from './audio/speech-features.ts';
export type { SpeechFeatureConfig } from './audio/speech-features.ts';
export { createRecognizer } from './ctc/recognizer.ts';
export { fetchRecognizer } from './ctc/model-url.ts';
export type { Recognizer } from './ctc/recognizer.ts';

// ---- audio frontend: WAV decoding (loadAudio: bytes, ArrayBuffer or File here; a path too in Node), resampling, Kaldi MFCC/fbank, CMVN, deltas (src/audio) ----
export { decodeAudio, decodeAudio as loadAudio } from './audio/decode-audio.ts';
export type { Audio, AudioBytes, LoadAudioOptions } from './audio/decode-audio.ts';
export { decodeWav, mixToMono } from './audio/wav.ts';
export type { DecodedWav } from './audio/wav.ts';
export { resample, RESAMPLE_QUALITIES } from './audio/resample.ts';
export type { ResampleOptions, ResampleQuality } from './audio/resample.ts';
export { mfcc, fbank, FRAME_ENGINES } from './audio/mfcc.ts';
export type { MfccOptions, FbankOptions, FrameEngine } from './audio/mfcc.ts';
export { wasmFramesAvailable } from './audio/mfcc-wasm.ts';
export { frameCount, windowFunction, WINDOW_TYPES } from './audio/frames.ts';
export type { WindowType } from './audio/frames.ts';
export { melFilterbank, melScale } from './audio/mel-filterbank.ts';
export type { MelFilterbank } from './audio/mel-filterbank.ts';
export { powerSpectrumFn, SPECTRUM_ENGINES } from './audio/power-spectrum.ts';
export type { PowerSpectrumFn, SpectrumEngine } from './audio/power-spectrum.ts';
export { cmvn } from './audio/cmvn.ts';
export type { CmvnOptions } from './audio/cmvn.ts';
export { deltas, addDeltas } from './audio/deltas.ts';
export type { DeltaOptions, AddDeltasOptions } from './audio/deltas.ts';
export { featuresTensor, featureRow, featureRows, checkFeatures } from './audio/features.ts';
export type { Features } from './audio/features.ts';
// ---- end audio frontend ----

// ---- translation: tokenisation, vocabularies, BLEU, encoder-decoder with attention, search (src/text, src/metrics/bleu.ts, src/seq2seq) ----
export { tokenize, detokenize, normalizeText, TOKEN_LEVELS } from './text/tokenize.ts';
export type { TokenLevel } from './text/tokenize.ts';
export { Vocabulary, PAD, SOS, EOS, UNK, SPECIAL_TOKENS, PAD_ID, SOS_ID, EOS_ID, UNK_ID } from './text/vocabulary.ts';
export type { VocabularyJSON, VocabularyBuildOptions } from './text/vocabulary.ts';
export { corpusBleu, sentenceBleu, bleuFromStatistics, tokenize13a, exactMatch } from './metrics/bleu.ts';
export type { BleuOptions, BleuScore, BleuTokenizer, BleuSmoothing } from './metrics/bleu.ts';
export { Seq2Seq, SEQ2SEQ_CONFIG_KEYS, selectRows, followBeams, stateTensors } from './seq2seq/model.ts';
export type { Seq2SeqConfig, DecoderState, DecoderOutput, EncoderMemory } from './seq2seq/model.ts';
export { Attention, createAttention, ATTENTION_KINDS } from './seq2seq/attention.ts';
export type { AttentionKind, AttentionOptions } from './seq2seq/attention.ts';
export { translationBatch, sourceBatch, padSequences, lengthMask, disposeBatch } from './seq2seq/batch.ts';
export type { TranslationBatch } from './seq2seq/batch.ts';
export { greedySearch, beamSearch } from './seq2seq/search.ts';
export type { Hypothesis, StepDecoder, GreedyOptions, BeamOptions } from './seq2seq/search.ts';
export { translateIds, translateTexts, stepDecoder, DECODE_BATCH } from './seq2seq/decode.ts';
export type { TranslateOptions, Translation } from './seq2seq/decode.ts';
// ---- end translation ----

// ---- translators: a Seq2Seq model with its vocabularies, from a model directory's files or URL (src/seq2seq/translator*.ts) ----
export { seq2seqDefaults, translatorFromFiles } from './seq2seq/translator.ts';
export type { Translator, TranslatorFiles, Seq2SeqDefaults } from './seq2seq/translator.ts';
export { fetchTranslator } from './seq2seq/translator-url.ts';

// ---- CTC: loss by alpha-beta, decoders, alignment (src/ctc) ----
export { ctcLoss } from './ctc/loss.ts';
export type { CtcLossOptions, CtcReduction } from './ctc/loss.ts';
export { ctcAlphaBeta } from './ctc/alpha-beta.ts';
export type { CtcAlphaBeta } from './ctc/alpha-beta.ts';
export { ctcForcedAlign } from './ctc/forced-align.ts';
export type { CtcAlignment } from './ctc/forced-align.ts';
export { ctcGreedyDecode, collapsePath } from './ctc/greedy-decode.ts';
export type { CtcGreedyDecodeOptions } from './ctc/greedy-decode.ts';
export { ctcBeamSearch } from './ctc/beam-search.ts';
export type { CtcBeamSearchOptions, CtcHypothesis, CtcPrefixScorer } from './ctc/beam-search.ts';
export { extendedLabels, minimumFrames } from './ctc/extended-labels.ts';
export type { CtcTargets, CtcLengths } from './ctc/ctc-inputs.ts';
// ---- end CTC ----

// ---- SpecAugment masking for training (src/audio/spec-augment.ts) ----
export { specAugment, specAugmentDefaults } from './audio/spec-augment.ts';
export type { SpecAugmentConfig } from './audio/spec-augment.ts';

// ---- training-data perturbation: resampling and additive noise (src/audio/perturb.ts) ----
export { speedPerturb, bandLimit, addNoise, coloredNoise, filteredNoise, NOISE_COLOURS } from './audio/perturb.ts';
export type { NoiseColour } from './audio/perturb.ts';

// ---- pictures: Vega-Lite spec builders and the report page, plain JSON and strings (src/plot/; rendering to files is in the Node entry) ----
export { trainingCurvesPlot, historyPanels, historyFile } from './plot/curves.ts';
export type { TrainingCurvesInput, CurvePanel, CurveSeries, TrainHistoryFile } from './plot/curves.ts';
export { spectrogramPlot, segmentsFromPath } from './plot/spectrogram.ts';
export type { SpectrogramInput, Segment } from './plot/spectrogram.ts';
export { posteriorgramPlot } from './plot/posteriorgram.ts';
export type { PosteriorgramInput } from './plot/posteriorgram.ts';
export { trellisPlot, alignmentStates } from './plot/trellis.ts';
export type { TrellisInput } from './plot/trellis.ts';
export { attentionPlot, imageAttentionPlot } from './plot/attention.ts';
export type { AttentionInput, ImageAttentionInput } from './plot/attention.ts';
export { confusionMatrixPlot } from './plot/confusion.ts';
export type { ConfusionMatrixInput } from './plot/confusion.ts';
export { forecastPlot } from './plot/forecast.ts';
export type { ForecastInput } from './plot/forecast.ts';
export { utterancePictures } from './plot/ctc-pictures.ts';
export type { UtterancePictures } from './plot/ctc-pictures.ts';
export { FONT_FAMILY, HEAT_SCHEME } from './plot/style.ts';
export type { PlotSpec, Rows } from './plot/style.ts';
export { reportHtml, markdownToHtml, inlineSvg, zoomSvg } from './plot/report.ts';
export type { ReportInput, ReportPicture } from './plot/report.ts';

// ---- native kernel variants: relaxed SIMD (fused multiply-add) or plain SIMD (src/native/kernels.ts) ----
export { nativeKernelsVariant, nativeKernelsVariants, useNativeKernelsVariant } from './native/kernels.ts';
export type { NativeVariant } from './native/kernels.ts';
