/**
 * The toy recogniser of the lecture notes, end to end: 안녕하세요 over the symbols
 * '<space>' 0, 안 1, 녕 2, 하 3, 세 4, 요 5, '<blank>' 6.
 *
 *   npm run recipe -- annyeong [--stage N] [--stop-stage N] [--resume] [--section.key=value]
 *
 * Stage 1  prepare   check the corpus and list each split's utterances and label ids
 * Stage 2  features  13 MFCCs + per-utterance CMVN for every utterance, plus speed-perturbed
 *                    and band-limited copies of part of the training set
 * Stage 3  train     bidirectional GRU stack + linear + CTC (blank 6), the epoch with the best
 *                    CER on the validation lists (dev and dev-unseen) kept
 * Stage 4  decode    transcribe dev, dev-unseen, test and test-unseen with the saved model
 * Stage 5  score     CER and WER per split → exp/annyeong/RESULTS.md
 * Stage 6  demo      `sori transcribe` on a few test files
 *
 * Everything it makes goes under exp/annyeong/ (or --exp-dir).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  averageWeights,
  createCtcModel,
  cosineSchedule,
  ctcGreedyDecode,
  ctcLoss,
  ctcModelLogits,
  ctcModelWeights,
  decodeLabels,
  encodeTranscript,
  epochWeightsPath,
  errorRates,
  loadRecognizer,
  loadSafetensors,
  loadWeights,
  mulberry32,
  parseRecipeArgs,
  readDataDir,
  readSymbolTable,
  runStages,
  saveCtcModel,
  saveSafetensors,
  shuffled,
  specAugment,
  speechFeatures,
  speedPerturb,
  bandLimit,
  addNoise,
  NOISE_COLOURS,
  loadAudio,
  trainLoop,
  writeConfig,
  writeFileAtomic,
  writeJsonAtomic,
  type CtcModel,
  type SymbolTable,
} from '../../src/index.ts';
import { config as defaults, type AnnyeongConfig } from './config.ts';

/**
 * One perturbed training copy: a kind drawn uniformly from the speed factors, the band of
 * `bandRate` Hz and (when `snrs` is not empty) added noise at an SNR drawn from `snrs`; a speed or
 * band copy also gets noise with probability `noiseOnTop`. Noise is white, pink or brown.
 */
async function perturbedCopy(
  samples: Float32Array,
  rate: number,
  augment: AnnyeongConfig['augment'],
  random: () => number,
): Promise<{ id: string; samples: Float32Array }> {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const noisy = (x: Float32Array, id: string) => {
    const snr = pick(augment.snrs);
    const colour = pick(NOISE_COLOURS);
    return { id: `${id}${id ? '-' : ''}${colour}${snr}`, samples: addNoise(x, snr, random, { colour }) };
  };
  const kinds = [...augment.speeds.map((a) => `sp${a}`), `band${augment.bandRate}`, ...(augment.snrs.length > 0 ? ['noise'] : [])];
  const kind = pick(kinds);
  if (kind === 'noise') return noisy(samples, '');
  const x = kind.startsWith('sp')
    ? await speedPerturb(samples, rate, Number(kind.slice(2)))
    : await bandLimit(samples, rate, augment.bandRate);
  return augment.snrs.length > 0 && random() < augment.noiseOnTop ? noisy(x, kind) : { id: kind, samples: x };
}

interface Example {
  id: string;
  text: string;
  labels: number[];
  /** [T, F] */
  feats: tf.Tensor2D;
}

export default async function run(argv: string[]): Promise<void> {
  const args = parseRecipeArgs('annyeong', argv, defaults);
  const { config: cfg, expDir } = args;
  const corpus = cfg.data.corpus;
  const dataDir = join(expDir, 'data');
  const featDir = join(expDir, 'feats');
  const trainDir = join(expDir, 'train');
  const modelDir = join(expDir, 'model');
  const decodeDir = join(expDir, 'decode');
  const splits = [...new Set(['train', ...cfg.data.validSets, ...cfg.data.evalSets])];
  if (cfg.augment.noiseOnTop > 0 && cfg.augment.snrs.length === 0) {
    throw new Error(`augment.noiseOnTop is ${cfg.augment.noiseOnTop} but augment.snrs is empty: give the SNRs to draw from`);
  }
  writeConfig(join(expDir, 'config.json'), cfg);

  const table = () => readSymbolTable(join(corpus, 'symbols.txt'));

  /** Load one split's features and labels (stage 2's output). */
  function loadSplit(split: string): Example[] {
    // stage 2's list: the split's utterances, and for train its perturbed copies
    const utts: { id: string; text: string; labels: number[] }[] = readFileSync(join(featDir, `${split}.jsonl`), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const { tensors } = loadSafetensors(join(featDir, `${split}.safetensors`));
    return utts.map((u) => ({ ...u, feats: tensors[u.id] as tf.Tensor2D }));
  }

  /** Pad examples into x [B, T, F] and their frame counts. */
  function batchOf(examples: Example[]): { x: tf.Tensor3D; lengths: number[] } {
    const lengths = examples.map((e) => e.feats.shape[0]);
    const T = Math.max(1, ...lengths);
    const x = tf.tidy(
      () => tf.stack(examples.map((e) => tf.pad(e.feats, [[0, T - e.feats.shape[0]], [0, 0]]))) as tf.Tensor3D, // [B, T, F]
    );
    return { x, lengths };
  }

  /** Greedy CER over examples with the current weights. */
  function greedyCer(model: CtcModel, examples: Example[], symbols: SymbolTable): number {
    const refs: string[] = [];
    const hyps: string[] = [];
    for (let i = 0; i < examples.length; i += 32) {
      const chunk = examples.slice(i, i + 32);
      const { x, lengths } = batchOf(chunk);
      const { logits, lengths: outLengths } = ctcModelLogits(model, x, lengths);
      const paths = ctcGreedyDecode(logits, { blank: symbols.blank, inputLengths: outLengths });
      tf.dispose([x, logits]);
      chunk.forEach((e, b) => {
        refs.push(e.text);
        hyps.push(decodeLabels(paths[b], symbols));
      });
    }
    return errorRates(refs, hyps).cer;
  }

  await runStages(
    [
      {
        n: 1,
        name: 'prepare (check the corpus, list utterances and label ids)',
        done: () => splits.every((s) => existsSync(join(dataDir, `${s}.jsonl`))),
        run: () => {
          if (!existsSync(join(corpus, 'train', 'wav.scp'))) {
            throw new Error(
              `${corpus}/train/wav.scp is missing: the corpus is committed with the repository; ` +
                `regenerate it with 'npx tsx recipes/annyeong/prepare.ts --out ${corpus}' (needs espeak-ng and sox)`,
            );
          }
          const symbols = table();
          for (const split of splits) {
            const utts = readDataDir(corpus, split).map((u) => ({
              ...u,
              labels: encodeTranscript(u.text, symbols, `${split}/${u.id}`),
            }));
            writeFileAtomic(join(dataDir, `${split}.jsonl`), utts.map((u) => JSON.stringify(u)).join('\n') + '\n');
            console.log(`  ${split}: ${utts.length} utterances`);
          }
        },
      },
      {
        n: 2,
        name: 'features (MFCC 13 + CMVN)',
        done: () => splits.every((s) => existsSync(join(featDir, `${s}.jsonl`))),
        run: async () => {
          for (const split of splits) {
            const utts: { id: string; audio: string }[] = readFileSync(join(dataDir, `${split}.jsonl`), 'utf8')
              .trim()
              .split('\n')
              .map((l) => JSON.parse(l));
            const tensors: Record<string, tf.Tensor> = {};
            const listed: object[] = [];
            let frames = 0;
            const add = (u: object & { id: string }, samples: Float32Array) => {
              const f = speechFeatures(samples, cfg.features); // [T, F]
              frames += f.shape[0];
              tensors[u.id] = f;
              listed.push(u);
            };
            const random = mulberry32(cfg.augment.seed);
            const rate = cfg.features.sampleRate;
            for (const u of utts) {
              const { samples } = await loadAudio(u.audio, { sampleRate: rate });
              add(u, samples);
              if (split !== 'train') continue;
              const copies = Math.floor(cfg.augment.fraction) + (random() < cfg.augment.fraction % 1 ? 1 : 0);
              for (let c = 0; c < copies; c++) {
                const { id, samples: perturbed } = await perturbedCopy(samples, rate, cfg.augment, random);
                add({ ...u, id: `${u.id}-${c}-${id}` }, perturbed);
              }
            }
            saveSafetensors(join(featDir, `${split}.safetensors`), tensors);
            writeFileAtomic(join(featDir, `${split}.jsonl`), listed.map((l) => JSON.stringify(l)).join('\n') + '\n');
            tf.dispose(Object.values(tensors));
            console.log(`  ${split}: ${listed.length} utterances (${listed.length - utts.length} perturbed copies), ${frames} frames`);
          }
        },
      },
      {
        n: 3,
        name: 'train (RNN stack + CTC)',
        done: () => existsSync(join(modelDir, 'weights.safetensors')),
        run: async () => {
          const symbols = table();
          const train = loadSplit('train');
          const valid = cfg.data.validSets.flatMap(loadSplit);
          const model = createCtcModel(cfg.model);
          const weights = ctcModelWeights(model);
          const optimizer = tf.train.adam(cfg.train.learningRate);
          // Length-sorted buckets of batchSize, shuffled per epoch from the seed.
          const byLength = [...train].sort((a, b) => a.feats.shape[0] - b.feats.shape[0]);
          const buckets: Example[][] = [];
          for (let i = 0; i < byLength.length; i += cfg.train.batchSize) buckets.push(byLength.slice(i, i + cfg.train.batchSize));
          const state = await trainLoop({
            dir: trainDir,
            weights,
            optimizer,
            epochs: cfg.train.epochs,
            resume: args.resume,
            keepEpochs: cfg.train.average > 1,
            clipNorm: cfg.train.clipNorm,
            learningRate: cosineSchedule(cfg.train.learningRate, cfg.train.finalLearningRate, cfg.train.epochs),
            // Each batch carries the seed of its SpecAugment and dropout masks, so a resumed run sees the same ones.
            batches: (epoch) => {
              const random = mulberry32(cfg.train.seed * 1000 + epoch);
              return shuffled(buckets, random).map((examples) => ({ examples, maskSeed: Math.floor(random() * 2 ** 31) }));
            },
            batchSize: (b) => b.examples.length,
            loss: ({ examples, maskSeed }) => {
              const { x, lengths } = batchOf(examples);
              const masked = specAugment(x, lengths, cfg.specAugment, mulberry32(maskSeed)); // [B, T, F]
              const { logits, lengths: outLengths } = ctcModelLogits(model, masked, lengths, {
                training: true,
                dropoutSeed: maskSeed,
              });
              return ctcLoss(
                logits,
                examples.map((e) => e.labels),
                outLengths,
                examples.map((e) => e.labels.length),
                { blank: symbols.blank, reduction: 'mean' },
              ) as tf.Scalar;
            },
            validate: async () => ({ score: greedyCer(model, valid, symbols) }),
          });
          loadWeights(join(trainDir, 'best.safetensors'), weights);
          const validNames = cfg.data.validSets.join(' + ');
          console.log(`  best ${validNames} CER ${(100 * state.best).toFixed(2)}% at epoch ${state.bestEpoch}`);
          let averaged: { epochs: number[]; score: number; kept: boolean } | undefined;
          if (cfg.train.average > 1) {
            // the mean of the K best epochs' weights, kept if it validates at least as well as the best epoch
            const epochs = [...state.history]
              .sort((a, b) => a.score - b.score || b.epoch - a.epoch)
              .slice(0, cfg.train.average)
              .map((h) => h.epoch);
            averageWeights(epochs.map((e) => epochWeightsPath(trainDir, e)), weights);
            const score = greedyCer(model, valid, symbols);
            averaged = { epochs, score, kept: score <= state.best };
            console.log(
              `  average of epochs ${epochs.join(', ')}: ${validNames} CER ${(100 * score).toFixed(2)}% → ` +
                (averaged.kept ? 'kept' : `the best epoch (${state.bestEpoch}) kept`),
            );
            if (!averaged.kept) loadWeights(join(trainDir, 'best.safetensors'), weights);
          }
          saveCtcModel(modelDir, model, { symbols: symbols.symbols, blank: symbols.blank, features: cfg.features });
          writeJsonAtomic(join(expDir, 'train-history.json'), { ...state, averaged });
          console.log(`  model in ${modelDir}`);
        },
      },
      {
        n: 4,
        name: `decode (${cfg.decode.beam > 0 ? `beam ${cfg.decode.beam}` : 'greedy'})`,
        done: () => cfg.data.evalSets.every((s) => existsSync(join(decodeDir, s, 'hyp.txt'))),
        run: async () => {
          const recognizer = loadRecognizer(modelDir);
          for (const split of cfg.data.evalSets) {
            const utts = readDataDir(corpus, split);
            const lines: string[] = [];
            for (const u of utts) {
              const { samples } = await loadAudio(u.audio, { sampleRate: recognizer.sampleRate });
              lines.push(`${u.id} ${recognizer.transcribe(samples, { beam: cfg.decode.beam })}`);
            }
            writeFileAtomic(join(decodeDir, split, 'hyp.txt'), lines.join('\n') + '\n');
            console.log(`  ${split}: ${lines.length} utterances → ${join(decodeDir, split, 'hyp.txt')}`);
          }
          recognizer.dispose();
        },
      },
      {
        n: 5,
        name: 'score (CER, WER)',
        run: () => {
          const rows = ['| split | utterances | CER % | WER % |', '|---|---|---|---|'];
          for (const split of cfg.data.evalSets) {
            const refs = readDataDir(corpus, split);
            const hyp = new Map(
              readFileSync(join(decodeDir, split, 'hyp.txt'), 'utf8')
                .split('\n')
                .filter((l) => l.trim())
                .map((l) => {
                  const sp = l.indexOf(' ');
                  return sp < 0 ? [l, ''] : [l.slice(0, sp), l.slice(sp + 1)];
                }),
            );
            const r = errorRates(
              refs.map((u) => u.text),
              refs.map((u) => hyp.get(u.id) ?? ''),
            );
            rows.push(`| ${split} | ${refs.length} | ${(100 * r.cer).toFixed(2)} | ${(100 * r.wer).toFixed(2)} |`);
          }
          const report = `# annyeong results\n\n${rows.join('\n')}\n`;
          writeFileAtomic(join(expDir, 'RESULTS.md'), report);
          console.log(report);
        },
      },
      {
        n: 6,
        name: 'demo (transcribe a few test files)',
        run: async () => {
          const recognizer = loadRecognizer(modelDir);
          for (const u of readDataDir(corpus, 'test').slice(0, cfg.decode.demoFiles)) {
            const { samples } = await loadAudio(u.audio, { sampleRate: recognizer.sampleRate });
            console.log(`${u.audio}\t${recognizer.transcribe(samples, { beam: cfg.decode.beam })}\t(reference: ${u.text})`);
          }
          recognizer.dispose();
        },
      },
    ],
    args,
  );
}
