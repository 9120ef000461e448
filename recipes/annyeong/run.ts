/**
 * The toy recogniser of the lecture notes, end to end: 안녕하세요 over the symbols
 * '<space>' 0, 안 1, 녕 2, 하 3, 세 4, 요 5, '<blank>' 6.
 *
 *   npm run recipe -- annyeong [--stage N] [--stop-stage N] [--resume] [--section.key=value]
 *
 * Stage 1  prepare   check the corpus and list each split's utterances and label ids (data.ts)
 * Stage 2  features  13 MFCCs + per-utterance CMVN for every utterance, plus perturbed copies
 *                    of the training set (features.ts)
 * Stage 3  train     bidirectional GRU stack + linear + CTC (blank 6), the epoch with the best
 *                    CER on the validation lists (dev and dev-unseen) kept (train.ts)
 * Stage 4  decode    transcribe dev, dev-unseen, test and test-unseen with the saved model
 * Stage 5  score     CER and WER per split → exp/annyeong/RESULTS.md
 * Stage 6  demo      transcribe a few test files
 * Stage 7  report    training curves, spectrogram, posteriorgram and trellis pictures →
 *                    exp/annyeong/plots/ and exp/annyeong/report.html (report.ts)
 *
 * Everything it makes goes under exp/annyeong/ (or --exp-dir).
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkBeam,
  decodeSplits,
  errorRates,
  hypothesisPath,
  kaldiErrorLine,
  loadAudio,
  loadRecognizer,
  parseRecipeArgs,
  readDataDir,
  readKeyedHypotheses,
  readSymbolTable,
  resultsTable,
  runStages,
  writeResults,
  type Utterance,
} from '../../src/index.ts';
import { config as defaults } from './config.ts';
import { listUtterances } from './data.ts';
import { computeFeatures } from './features.ts';
import { report } from './report.ts';
import { train } from './train.ts';

export default async function run(argv: string[]): Promise<void> {
  const args = parseRecipeArgs('annyeong', argv, defaults);
  const { config: cfg, expDir, resume } = args;
  const corpus = cfg.data.corpus;
  const dirs = {
    expDir,
    dataDir: join(expDir, 'data'),
    featDir: join(expDir, 'feats'),
    trainDir: join(expDir, 'train'),
    modelDir: join(expDir, 'model'),
    decodeDir: join(expDir, 'decode'),
  };
  const splits = [...new Set(['train', ...cfg.data.validSets, ...cfg.data.evalSets])];
  if (cfg.augment.noiseOnTop > 0 && cfg.augment.snrs.length === 0) {
    throw new Error(`augment.noiseOnTop is ${cfg.augment.noiseOnTop} but augment.snrs is empty: give the SNRs to draw from`);
  }
  checkBeam(cfg.decode.beam, 'decode.beam');
  const symbols = () => readSymbolTable(join(corpus, 'symbols.txt'));
  const search = cfg.decode.beam > 1 ? `beam ${cfg.decode.beam}` : 'greedy';

  /** Transcribe utterances with the saved model: `utt-id text` per utterance. */
  const transcribe = async (utts: Utterance[]): Promise<string[]> => {
    const recognizer = loadRecognizer(dirs.modelDir);
    try {
      const lines: string[] = [];
      for (const u of utts) {
        const { samples } = await loadAudio(u.audio, { sampleRate: recognizer.sampleRate });
        lines.push(`${u.id} ${recognizer.transcribe(samples, { beam: cfg.decode.beam })}`);
      }
      return lines;
    } finally {
      recognizer.dispose();
    }
  };

  await runStages(
    [
      {
        n: 1,
        name: 'prepare (check the corpus, list utterances and label ids)',
        config: { splits },
        inputs: () => [join(corpus, 'symbols.txt'), ...splits.flatMap((s) => [join(corpus, s, 'wav.scp'), join(corpus, s, 'text')])],
        done: () => splits.every((s) => existsSync(join(dirs.dataDir, `${s}.jsonl`))),
        run: () => listUtterances({ corpus, dataDir: dirs.dataDir, splits }, symbols()),
      },
      {
        n: 2,
        name: 'features (MFCC 13 + CMVN)',
        config: { features: cfg.features, augment: cfg.augment },
        done: () => splits.every((s) => existsSync(join(dirs.featDir, `${s}.jsonl`))),
        run: () => computeFeatures({ corpus, dataDir: dirs.dataDir, featDir: dirs.featDir, splits }, cfg),
      },
      {
        n: 3,
        name: 'train (RNN stack + CTC)',
        config: { validSets: cfg.data.validSets, model: cfg.model, train: cfg.train, specAugment: cfg.specAugment },
        resumeWith: { validSets: cfg.data.validSets, model: cfg.model, train: { ...cfg.train, epochs: null }, specAugment: cfg.specAugment }, // more epochs continue
        done: () => existsSync(join(dirs.modelDir, 'weights.safetensors')),
        // a training of other settings is never resumed as this one
        clean: () => [dirs.trainDir, dirs.modelDir, join(expDir, 'train-history.json')].forEach((p) => rmSync(p, { recursive: true, force: true })),
        run: () => {
          if (args.force && !resume) rmSync(dirs.trainDir, { recursive: true, force: true }); // --force: train from scratch
          return train({ ...dirs, resume }, cfg, symbols());
        },
      },
      {
        n: 4,
        name: `decode (${search})`,
        config: { evalSets: cfg.data.evalSets, beam: cfg.decode.beam },
        done: () => cfg.data.evalSets.every((s) => existsSync(hypothesisPath(dirs.decodeDir, s))),
        run: () => decodeSplits(cfg.data.evalSets, dirs.decodeDir, (split) => transcribe(readDataDir(corpus, split))),
      },
      {
        n: 5,
        name: 'score (CER, WER)',
        run: () => {
          const scores: Record<string, { cer: number; wer: number; utterances: number }> = {};
          const lines: string[] = [];
          const rows = cfg.data.evalSets.map((split) => {
            const refs = readDataDir(corpus, split);
            const hyps = readKeyedHypotheses(dirs.decodeDir, split);
            const r = errorRates(refs.map((u) => u.text), refs.map((u) => hyps.get(u.id) ?? ''));
            scores[split] = { cer: r.cer, wer: r.wer, utterances: refs.length };
            lines.push(kaldiErrorLine('WER', r.words, `decode/${split}`), kaldiErrorLine('CER', r.characters, `decode/${split}`));
            return [split, refs.length, (100 * r.cer).toFixed(2), (100 * r.wer).toFixed(2)];
          });
          const body = ['```', ...lines, '```', '', resultsTable(['split', 'utterances', 'CER %', 'WER %'], rows)].join('\n');
          writeResults(expDir, { title: `annyeong results (${search})`, body, scores });
        },
      },
      {
        n: 6,
        name: 'demo (transcribe a few test files)',
        run: async () => {
          const utts = readDataDir(corpus, 'test').slice(0, cfg.decode.demoFiles);
          const lines = await transcribe(utts);
          utts.forEach((u, i) => console.log(`${u.audio}\t${lines[i].slice(u.id.length + 1)}\t(reference: ${u.text})`));
        },
      },
      { n: 7, name: 'plots and report', run: () => report(dirs, cfg) },
    ],
    args,
  );
}
