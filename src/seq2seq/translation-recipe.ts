/**
 * The stages every translation recipe shares (recipes/toy-translation, recipes/tatoeba): a recipe
 * supplies its sentence pairs and its config; this runs
 *
 *   Stage 1  prepare  the pairs of each split → exp/NAME/data/SPLIT.tsv; vocabularies from train
 *   Stage 2  train    Seq2Seq with teacher forcing, Adam, label smoothing; dev checked every
 *                     epoch (greedy), the best dev score kept; checkpoints, --resume
 *   Stage 3  decode   translate dev (and test) with the saved model → exp/NAME/decode/SPLIT/hyp.txt
 *   Stage 4  score    corpus BLEU (sacreBLEU defaults) and exact match → exp/NAME/RESULTS.md
 *   Stage 5  demo     a few sentences through the saved model
 *
 * exp/NAME/model/ holds everything inference needs (see translator.ts): `sori translate --model`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { corpusBleu, exactMatch } from '../metrics/bleu.ts';
import { Vocabulary, type VocabularyJSON } from '../text/vocabulary.ts';
import type { TokenLevel } from '../text/tokenize.ts';
import { writeConfig, type Config } from '../train/config.ts';
import { writeFileAtomic, writeJsonAtomic } from '../train/atomic.ts';
import { loadWeights } from '../train/checkpoint.ts';
import { mulberry32, shuffled } from '../train/random.ts';
import { runStages } from '../train/stages.ts';
import { trainLoop } from '../train/train-loop.ts';
import type { RecipeArgs } from '../train/recipe-args.ts';
import { translationBatch } from './batch.ts';
import { translateIds } from './decode.ts';
import { Seq2Seq } from './model.ts';
import { loadTranslator, saveTranslator, type Seq2SeqDefaults } from './translator.ts';

/** One source sentence and its reference translation. */
export interface SentencePair {
  source: string;
  target: string;
}

/** The config sections a translation recipe has (each recipe adds its own `data` keys). */
export type TranslationRecipeConfig = {
  text: {
    sourceLevel: TokenLevel;
    targetLevel: TokenLevel;
    /** Keep symbols seen at least this often in train (rarer ones become <unk>). */
    minCount: number;
  };
  model: Seq2SeqDefaults;
  train: {
    epochs: number;
    /** Sentence pairs per minibatch (drawn from source-length-sorted buckets). */
    batchSize: number;
    learningRate: number;
    clipNorm: number;
    labelSmoothing: number;
    /** Dev score that picks the best epoch: 'exact' minimises 1 − exact match, 'bleu' minimises −BLEU. */
    selectBy: 'exact' | 'bleu';
    seed: number;
  };
  decode: {
    /** 1: greedy; K > 1: beam search with K beams. */
    beam: number;
    /** Splits translated and scored (those the recipe provides). */
    evalSets: string[];
    /** Sentences of the first eval set shown by the demo stage. */
    demoSentences: number;
  };
};

/** The translation recipe `name`: `pairs()` gives the sentence pairs of every split (train, dev, …). */
export async function runTranslationRecipe(
  name: string,
  args: Omit<RecipeArgs<Config>, 'config'> & { config: TranslationRecipeConfig },
  pairs: () => Record<string, SentencePair[]>,
): Promise<void> {
  const { config: cfg, expDir } = args;
  const dataDir = join(expDir, 'data');
  const trainDir = join(expDir, 'train');
  const modelDir = join(expDir, 'model');
  const decodeDir = join(expDir, 'decode');
  const splits = () => ['train', ...cfg.decode.evalSets.filter((s) => s !== 'train')];
  writeConfig(join(expDir, 'config.json'), cfg as unknown as Config);

  const readSplit = (split: string): SentencePair[] => {
    const path = join(dataDir, `${split}.tsv`);
    if (!existsSync(path)) throw new Error(`${path} is missing: run stage 1 (prepare) first`);
    return readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => {
        const [source, target] = l.split('\t');
        return { source, target };
      });
  };
  const readVocabulary = (side: 'source' | 'target') =>
    Vocabulary.fromJSON(JSON.parse(readFileSync(join(dataDir, `${side}-vocabulary.json`), 'utf8')) as VocabularyJSON);

  await runStages(
    [
      {
        n: 1,
        name: 'prepare (splits, tokenisation, vocabularies)',
        done: () => splits().every((s) => existsSync(join(dataDir, `${s}.tsv`))) && existsSync(join(dataDir, 'target-vocabulary.json')),
        run: () => {
          const all = pairs();
          for (const split of splits()) {
            if (!all[split]) throw new Error(`recipe ${name}: no split '${split}' (splits: ${Object.keys(all).join(', ')})`);
            const lines = all[split].map((p, i) => {
              if (p.source.includes('\t') || p.target.includes('\t')) throw new Error(`${split} pair ${i + 1}: a sentence holds a tab`);
              return `${p.source}\t${p.target}`;
            });
            writeFileAtomic(join(dataDir, `${split}.tsv`), lines.join('\n') + '\n');
          }
          const { sourceLevel, targetLevel, minCount } = cfg.text;
          const source = Vocabulary.build(all.train.map((p) => p.source), sourceLevel, { minCount });
          const target = Vocabulary.build(all.train.map((p) => p.target), targetLevel, { minCount });
          writeJsonAtomic(join(dataDir, 'source-vocabulary.json'), source.toJSON());
          writeJsonAtomic(join(dataDir, 'target-vocabulary.json'), target.toJSON());
          for (const split of splits()) console.log(`  ${split}: ${all[split].length} pairs`);
          console.log(`  vocabularies: source ${source.size} ${sourceLevel} symbols, target ${target.size} ${targetLevel} symbols`);
        },
      },
      {
        n: 2,
        name: 'train (encoder-decoder with attention)',
        done: () => existsSync(join(modelDir, 'weights.safetensors')),
        run: async () => {
          const source = readVocabulary('source');
          const target = readVocabulary('target');
          const encode = (ps: SentencePair[]) => ps.map((p) => ({ x: source.encode(p.source), y: target.encode(p.target) }));
          const train = encode(readSplit('train')).filter((e) => e.x.length > 0);
          const dev = readSplit('dev');
          const devIds = dev.map((p) => source.encode(p.source));
          const model = new Seq2Seq({ ...cfg.model, sourceVocabSize: source.size, targetVocabSize: target.size });
          const weights = model.namedWeights();
          const optimizer = tf.train.adam(cfg.train.learningRate);
          const byLength = [...train].sort((a, b) => a.x.length - b.x.length || a.y.length - b.y.length);
          const buckets: (typeof train)[] = [];
          for (let i = 0; i < byLength.length; i += cfg.train.batchSize) buckets.push(byLength.slice(i, i + cfg.train.batchSize));

          /** Greedy translations of dev with the current weights → BLEU and exact match. */
          const scoreDev = () => {
            const hyps: string[] = [];
            for (let i = 0; i < devIds.length; i += 100) {
              for (const h of translateIds(model, devIds.slice(i, i + 100))) hyps.push(target.decode(h.tokens));
            }
            const refs = dev.map((p) => target.decode(target.encode(p.target)));
            return { bleu: corpusBleu(hyps, refs).score, exact: exactMatch(hyps, refs) };
          };

          const t0 = performance.now();
          const state = await trainLoop({
            dir: trainDir,
            weights,
            optimizer,
            epochs: cfg.train.epochs,
            resume: args.resume,
            clipNorm: cfg.train.clipNorm,
            // Each batch carries the seed of its dropout masks, so a run (and a resumed run) repeats exactly.
            batches: (epoch) => {
              const random = mulberry32(cfg.train.seed * 1000 + epoch);
              return shuffled(buckets, random).map((examples) => ({ examples, maskSeed: Math.floor(random() * 2 ** 31) }));
            },
            batchSize: (b) => b.examples.length,
            loss: ({ examples, maskSeed }) => {
              const batch = translationBatch(examples.map((e) => e.x), examples.map((e) => e.y));
              return model.loss(batch, { training: true, labelSmoothing: cfg.train.labelSmoothing, dropoutSeed: maskSeed });
            },
            validate: async () => {
              const { bleu, exact } = scoreDev();
              return { score: cfg.train.selectBy === 'bleu' ? -bleu : 1 - exact, devBleu: bleu, devExact: exact };
            },
          });
          const seconds = (performance.now() - t0) / 1000;
          loadWeights(join(trainDir, 'best.safetensors'), weights);
          saveTranslator(modelDir, model, { source, target });
          model.dispose();
          const steps = buckets.length * state.epoch;
          writeJsonAtomic(join(expDir, 'train-history.json'), { ...state, steps, seconds });
          const best = state.history.find((h) => h.epoch === state.bestEpoch) ?? {};
          console.log(
            `  best dev: BLEU ${Number(best.devBleu).toFixed(2)}, exact match ${(100 * Number(best.devExact)).toFixed(2)}% ` +
              `at epoch ${state.bestEpoch}; ${steps} steps, ${seconds.toFixed(0)} s in this run; model in ${modelDir}`,
          );
        },
      },
      {
        n: 3,
        name: `decode (${cfg.decode.beam > 1 ? `beam ${cfg.decode.beam}` : 'greedy'})`,
        done: () => cfg.decode.evalSets.every((s) => existsSync(join(decodeDir, s, 'hyp.txt'))),
        run: () => {
          const translator = loadTranslator(modelDir);
          for (const split of cfg.decode.evalSets) {
            const sources = readSplit(split).map((p) => p.source);
            const lines: string[] = [];
            for (let i = 0; i < sources.length; i += 100) {
              const chunk = translator.translate(sources.slice(i, i + 100), { beamWidth: cfg.decode.beam });
              lines.push(...chunk.map((t) => t.text));
            }
            writeFileAtomic(join(decodeDir, split, 'hyp.txt'), lines.join('\n') + '\n');
            console.log(`  ${split}: ${lines.length} sentences → ${join(decodeDir, split, 'hyp.txt')}`);
          }
          translator.dispose();
        },
      },
      {
        n: 4,
        name: 'score (BLEU, exact match)',
        run: () => {
          const target = readVocabulary('target');
          const rows = ['| split | sentences | BLEU | exact match % |', '|---|---|---|---|'];
          const scores: Record<string, { bleu: number; exact: number; sentences: number }> = {};
          for (const split of cfg.decode.evalSets) {
            // References go through the target tokeniser and back, as the hypotheses did (spacing, NFC).
            const refs = readSplit(split).map((p) => target.decode(target.encode(p.target)));
            const hyps = readFileSync(join(decodeDir, split, 'hyp.txt'), 'utf8').split('\n').slice(0, refs.length);
            while (hyps.length < refs.length) hyps.push('');
            const bleu = corpusBleu(hyps, refs);
            const exact = exactMatch(hyps, refs);
            scores[split] = { bleu: bleu.score, exact, sentences: refs.length };
            rows.push(`| ${split} | ${refs.length} | ${bleu.score.toFixed(2)} | ${(100 * exact).toFixed(2)} |`);
          }
          const historyPath = join(expDir, 'train-history.json');
          const history = existsSync(historyPath) ? JSON.parse(readFileSync(historyPath, 'utf8')) : undefined;
          const training = history
            ? `\nTraining: ${history.epoch} epochs (${history.steps} steps; best dev at epoch ${history.bestEpoch}), ` +
              `${Number(history.seconds).toFixed(0)} s of training in the last run.\n`
            : '';
          const m = cfg.model;
          const report =
            `# ${name} results\n\n` +
            `Model: ${m.cell.toUpperCase()} ${m.bidirectional ? 'bidirectional ' : ''}encoder, ${m.numLayers} layer(s), H=${m.hiddenSize}, ` +
            `E=${m.embeddingSize}, attention ${m.attention}, dropout ${m.dropout}; ` +
            `text ${cfg.text.sourceLevel} → ${cfg.text.targetLevel}; label smoothing ${cfg.train.labelSmoothing}; ` +
            `decoding ${cfg.decode.beam > 1 ? `beam ${cfg.decode.beam}` : 'greedy'}. ` +
            `BLEU is corpus BLEU with sacreBLEU's defaults (13a, exp smoothing).\n\n` +
            `${rows.join('\n')}\n${training}`;
          writeFileAtomic(join(expDir, 'RESULTS.md'), report);
          writeJsonAtomic(join(expDir, 'scores.json'), scores);
          console.log(report);
        },
      },
      {
        n: 5,
        name: 'demo (translate a few sentences)',
        run: () => {
          const translator = loadTranslator(modelDir);
          const pairs = readSplit(cfg.decode.evalSets[0]).slice(0, cfg.decode.demoSentences);
          const out = translator.translate(pairs.map((p) => p.source), { beamWidth: cfg.decode.beam });
          pairs.forEach((p, i) => console.log(`${p.source}\t→ ${out[i].text}\t(reference: ${p.target})`));
          translator.dispose();
        },
      },
    ],
    args,
  );
}
