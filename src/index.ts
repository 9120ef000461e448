/**
 * sori (소리, "sound"): sequence-to-sequence and CTC models on TensorFlow.js.
 * This file is the public surface in Node (package entry 'sori'): recipes and the CLI use only
 * what it exports. It is the browser entry (src/browser.ts: models, features, decoding) plus
 * what needs Node: files, model directories on disk, training, recipes. A new block of exports
 * goes here when one of its files imports node:*, cli-progress or yargs or reads `process`,
 * else in src/browser.ts (test/entry-points.test.ts says which).
 */
export * from './browser.ts';

// ---- io: files: atomic writes, safetensors files, weights files (src/io) ----
export { writeFileAtomic, writeJsonAtomic } from './io/atomic.ts';
export { saveSafetensors, loadSafetensors } from './io/safetensors.ts';
export { saveWeights, loadWeights } from './io/weights.ts';

// ---- recipe: what every recipe shares: flags, numbered stages, results (src/recipe) ----
export { parseRecipeArgs } from './recipe/args.ts';
export type { RecipeArgs } from './recipe/args.ts';
export { runStages } from './recipe/stages.ts';
export type { Stage, StageRange } from './recipe/stages.ts';
export { decodeSplits, hypothesisPath, readHypotheses, readKeyedHypotheses, resultsTable, writeResults } from './recipe/results.ts';

// ---- train: configuration, checkpoints with optimizer state, the epoch loop, averaging (src/train) ----
export { resolveConfig, writeConfig, configKeys } from './train/config.ts';
export type { Config, ConfigValue } from './train/config.ts';
export { saveCheckpoint, loadCheckpoint } from './train/checkpoint.ts';
export type { TrainState } from './train/checkpoint.ts';
export { trainLoop, clipByGlobalNorm, globalNorm, cosineSchedule } from './train/train-loop.ts';
export { lengthBuckets, epochBatches, shuffledBatches } from './train/buckets.ts';
export type { SeededBatch } from './train/buckets.ts';
export type { TrainLoopOptions } from './train/train-loop.ts';
export { progressBar } from './train/progress.ts';
export type { Progress } from './train/progress.ts';

// ---- CTC model directories on disk; the recogniser they hold (src/ctc/model-files.ts) ----
export { saveCtcModel, loadCtcModel, loadRecognizer } from './ctc/model-files.ts';

// ---- Kaldi data directories, symbol table files (src/text/kaldi-files.ts) ----
export { readKaldiTable, readDataDir, readSymbolTable } from './text/kaldi-files.ts';
export type { Utterance } from './text/kaldi-files.ts';

// ---- audio files: loadAudio takes a path too (src/audio/load-audio.ts; shadows the browser entry's) ----
export { loadAudio } from './audio/load-audio.ts';

// ---- translation model directories on disk: what `sori translate` and the recipes load (src/seq2seq/translator-files.ts) ----
export { saveTranslator, loadTranslator } from './seq2seq/translator-files.ts';

// ---- checkpoint averaging (src/train/average.ts; epoch weights kept by trainLoop) ----
export { averageWeights } from './train/average.ts';
export { epochWeightsPath } from './train/train-loop.ts';

// ---- translation quality II: chrF, subword units, ensembles (issue 19) ----
export { corpusChrf, sentenceChrf, chrfFromStatistics } from './metrics/chrf.ts';
export type { ChrfOptions, ChrfScore } from './metrics/chrf.ts';
export { trainSubwords, subwords, subwordWords, toSentencePieceVocab, fromSentencePieceVocab, SPACE_PIECE } from './text/subword.ts';
export type { SubwordModel, Subwords, SubwordTrainOptions } from './text/subword.ts';
export { writeSentencePieceModel, readSentencePieceModel } from './text/sentencepiece-model.ts';
export { ensembleDecoder } from './seq2seq/ensemble.ts';
export type { EnsembleState } from './seq2seq/ensemble.ts';
export { VOCABULARY_LEVELS } from './text/vocabulary.ts';
export type { VocabularyLevel } from './text/vocabulary.ts';
// ---- end translation quality II ----

// ---- forecasting: one-minute bars, windows, AR(τ) and baselines, the RNN forecaster, regression losses (src/forecast, src/nn/regression-loss.ts) ----
export { maskedMse, maskedMae, regressionLoss, REGRESSION_LOSSES } from './nn/regression-loss.ts';
export type { RegressionLoss } from './nn/regression-loss.ts';
export { parseBarsCsv, readBarsCsv } from './forecast/bars.ts';
export type { Bar } from './forecast/bars.ts';
export { barSeries, clockFeatures, indicesOfDays, tradingDays, TARGETS, FEATURES, SESSION_OPEN, SESSION_MINUTES } from './forecast/series.ts';
export type { Series, Target } from './forecast/series.ts';
export { fitStandardizer, standardize, unstandardize } from './forecast/standardize.ts';
export type { Standardizer } from './forecast/standardize.ts';
export { windowEnds, makeWindows } from './forecast/windowing.ts';
export type { Windows, WindowOptions } from './forecast/windowing.ts';
export { fitAr, arForecast, chooseArOrder } from './forecast/ar.ts';
export type { ArModel } from './forecast/ar.ts';
export { persistenceForecast, zeroForecast, constantForecast, arForecasts, featureColumn, targetColumn } from './forecast/baselines.ts';
export { scoreForecast } from './forecast/metrics.ts';
export type { ForecastScores } from './forecast/metrics.ts';
export { createForecaster, forecasterDefaults, forecasterWeights, disposeForecaster, forecast, forecasterIterate } from './forecast/forecaster.ts';
export type { Forecaster, ForecasterConfig } from './forecast/forecaster.ts';
export { saveForecaster, loadForecaster, predictDirect, predictIterated } from './forecast/forecaster-dir.ts';
export type { ForecasterCard, LoadedForecaster } from './forecast/forecaster-dir.ts';
export { forecastLines } from './forecast/forecast-lines.ts';
// ---- end forecasting ----

// ---- command-line and recipe conventions (issue #18): stage markers, recipe help, scores as Kaldi and sacreBLEU print them, timestamps, any-format audio, progress ----
export { recipeHelp } from './recipe/args.ts';
export { readStageMarker, stageMarkerPath } from './recipe/stages.ts';
export type { StageMarker, StageOptions } from './recipe/stages.ts';
export { kaldiErrorLine } from './metrics/score-transcripts.ts';
export { bleuSignature, formatBleu } from './metrics/bleu-format.ts';
export type { Recognition } from './ctc/recognizer.ts';
export { labelSpans, wordSpans } from './ctc/timestamps.ts';
export type { TimedText } from './ctc/timestamps.ts';
export { loadAnyAudio, DECODED_FORMATS } from './audio/any-audio.ts';
export { epochSummary, formatDuration, progressLine } from './train/progress.ts';
export type { MetricLabel } from './train/progress.ts';

// ---- pictures in Node: SVG/PNG rendering and the experiment report (src/plot/render.ts, write-report.ts; the spec builders are in the browser entry) ----
export { renderSvg, renderPng, svgToPng, writePlot, cjkFontFiles, CJK_FONT_PATHS } from './plot/render.ts';
export type { PngOptions } from './plot/render.ts';
export { writeExperimentReport, historyCurves } from './plot/write-report.ts';
export type { ExperimentReportInput, NamedPlot } from './plot/write-report.ts';

// ---- image captioning: image reading, CNN encoder, captioner with seq2seq's attention and search (src/image, src/caption) ----
export { decodeImage, imageFormat, resizeImage, imageBatch } from './image/load-image.ts';
export type { DecodedImage } from './image/load-image.ts';
export { readImages, MAX_IMAGE_BYTES } from './image/read-images.ts';
export type { ImageResult } from './image/read-images.ts';
export { conv2d, convLayer, layerNorm, spaceToDepth, createCnn, cnnFeatures, cnnWeights, gridShape, cnnDefaults, CNN_CONFIG_KEYS } from './image/cnn.ts';
export type { Cnn, CnnConfig, ConvLayer, NormLayer } from './image/cnn.ts';
export {
  createCaptioner, captionerWeights, disposeCaptioner, encodeImages, decodeCaptions, captionStep, captionLoss,
  CAPTIONER_CONFIG_KEYS, CAPTION_ATTENTION_KINDS,
} from './caption/captioner.ts';
export type { Captioner, CaptionerConfig, CaptionBatch, CaptionAttentionKind } from './caption/captioner.ts';
export { captionBatch, disposeCaptionBatch } from './caption/batch.ts';
export { captionIds, captionStepDecoder } from './caption/decode.ts';
export type { CaptionOptions } from './caption/decode.ts';
export { saveCaptioner, loadCaptioner, imageCaptioner } from './caption/model-files.ts';
export type { Caption, FileCaption, ImageCaptioner } from './caption/model-files.ts';
// ---- end image captioning ----

// ---- reliability: bounded reads, stated config ranges, streamed lines (issue #21) ----
export { removeStaleTemporaries, WriteError } from './io/atomic.ts';
export { readRegularFile, readJsonFile, readJsonLines, readTextFile, decodeUtf8, parseJson, MAX_FILE_BYTES, MAX_TEXT_BYTES } from './io/read-file.ts';
export type { ReadOptions, JsonReadOptions } from './io/read-file.ts';
export { configRanges, validateConfig, checkConfigValue, describeRange } from './io/config-ranges.ts';
export type { ConfigRange } from './io/config-ranges.ts';
export { splitLines, streamLines, escapeForLine } from './io/lines.ts';
export { translateStream } from './seq2seq/translator.ts';
export { MIN_SAMPLE_RATE, MAX_SAMPLE_RATE } from './audio/load-audio.ts';
export { MAX_BEAM } from './check.ts';
export { silenceSegments } from './audio/silence-segments.ts';
export type { SilenceSegmentOptions } from './audio/silence-segments.ts';

// ---- sequence classification: many-to-one sentiment models (src/classify, issue 13) ----
export { createClassifier, classifierLogits, classifierLoss, classProbabilities, classifierWeights, disposeClassifier, checkClassifierConfig, classifierDefaults, ENCODERS, CLASSIFIER_LOSSES } from './classify/classifier.ts';
export type { Classifier, ClassifierConfig, EncoderKind, ClassifierLoss, ForwardOptions } from './classify/classifier.ts';
export { pool, pooledSize, POOLINGS } from './classify/pooling.ts';
export type { Pooling } from './classify/pooling.ts';
export { summary, summaryRows, parameterCount } from './classify/summary.ts';
export type { SummaryRow } from './classify/summary.ts';
export { lengthBucketedBatches, sortedBatches, padRows } from './classify/batches.ts';
export { textClassifier, saveTextClassifier, loadTextClassifier, classifyIds } from './classify/text-classifier.ts';
export type { TextClassifier, TextSettings } from './classify/text-classifier.ts';
export { readLabelledTsv, splitDev, splitDevHeldout } from './classify/labelled-tsv.ts';
export type { LabelledText, TsvColumns } from './classify/labelled-tsv.ts';
export { accuracy } from './metrics/accuracy.ts';
export { binaryCrossEntropy, categoricalCrossEntropy } from './nn/binary-cross-entropy.ts';
export { textUnits, wordTokens, syllableTokens, stripLineBreaks, TEXT_UNITS, SPACE_UNIT } from './text/word-tokenizer.ts';
export type { TextUnit } from './text/word-tokenizer.ts';
export { topVocabulary, encodeUnits, fitLength, KEEP_MODES } from './text/top-vocabulary.ts';
export type { KeepMode } from './text/top-vocabulary.ts';

// ---- native threads: large products of the native kernels on worker threads (src/native/threads.ts; issue 20) ----
export { setNativeThreads, nativeThreads, MIN_PART_FLOPS } from './native/threads.ts';
export type { NativeThreadsOptions } from './native/threads.ts';

// ---- seq2seq speed: Adam on the native kernels (src/nn/adam.ts; issue 20) ----
export { adam } from './nn/adam.ts';
