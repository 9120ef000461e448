/**
 * Stage 2 of the translation recipes: Seq2Seq with teacher forcing, Adam, label smoothing and
 * gradient clipping; dev translated greedily after every epoch, the best dev epoch kept (by BLEU
 * or exact match), checkpoints every epoch (--resume). With `train.average` K > 1, the mean of
 * the K best epochs' weights replaces the best epoch if it scores at least as well on dev. Each
 * entry of `train.members` trains one model so (the model section with the entry's overrides);
 * several are saved as one ensemble, decoded by the mean of their log-probabilities. The model directory it writes holds all that inference needs, decoding
 * settings included (`sori translate --model`).
 */
import { join } from 'node:path';
import {
  adam,
  averageWeights,
  corpusBleu,
  epochBatches,
  epochWeightsPath,
  exactMatch,
  lengthBuckets,
  loadWeights,
  saveTranslator,
  Seq2Seq,
  trainLoop,
  translateIds,
  translationBatch,
  writeJsonAtomic,
  type Vocabulary,
} from '../../src/index.ts';
import { normalizedReferences, readSplit, readVocabulary, type MemberOverrides, type TranslationRecipeConfig } from './data.ts';

/** Throw, naming the entry and key, unless train.members is a non-empty list of model overrides. */
export function checkMembers(cfg: TranslationRecipeConfig): void {
  const members = cfg.train.members;
  if (!Array.isArray(members) || members.length === 0) throw new Error(`train.members: expected a non-empty list of model overrides ([{}]: one model), got ${JSON.stringify(members)}`);
  members.forEach((m, i) => {
    if (typeof m !== 'object' || m === null || Array.isArray(m)) throw new Error(`train.members[${i}]: expected an object, got ${JSON.stringify(m)}`);
    for (const key of Object.keys(m)) {
      if (key !== 'trainSeed' && !(key in cfg.model)) throw new Error(`train.members[${i}]: unknown key '${key}' (keys of the model section, or trainSeed)`);
    }
  });
}

export async function train(
  { expDir, dataDir, trainDir, modelDir, resume }: { expDir: string; dataDir: string; trainDir: string; modelDir: string; resume: boolean },
  cfg: TranslationRecipeConfig,
): Promise<void> {
  const source = readVocabulary(dataDir, 'source');
  const target = readVocabulary(dataDir, 'target');
  const dev = readSplit(dataDir, 'dev');
  const devIds = dev.map((p) => source.encode(p.source));
  const devRefs = normalizedReferences(dev, target);
  /** Greedy translations of dev by one model or an ensemble → BLEU and exact match. */
  const scoreDev = (model: Seq2Seq | Seq2Seq[]) => {
    const hyps = translateIds(model, devIds).map((h) => target.decode(h.tokens));
    return { bleu: corpusBleu(hyps, devRefs).score, exact: exactMatch(hyps, devRefs) };
  };

  const models: Seq2Seq[] = [];
  const histories: unknown[] = [];
  const M = cfg.train.members.length;
  for (let m = 0; m < M; m++) {
    const dir = m === 0 ? trainDir : join(trainDir, `member-${m + 1}`);
    if (M > 1) console.log(`  member ${m + 1} of ${M}: ${JSON.stringify(cfg.train.members[m])}`);
    const { model, history } = await trainMember({ dir, dataDir, resume, member: cfg.train.members[m], source, target, scoreDev }, cfg);
    models.push(model);
    histories.push(history);
  }
  const decode = cfg.decode.beam > 1 ? { beamWidth: cfg.decode.beam, lengthPenalty: cfg.decode.lengthPenalty } : { beamWidth: 1 };
  let ensemble: { bleu: number; exact: number } | undefined;
  if (models.length > 1) {
    ensemble = scoreDev(models);
    console.log(`  ensemble of ${models.length}: dev BLEU ${ensemble.bleu.toFixed(2)}, exact match ${(100 * ensemble.exact).toFixed(2)}% (greedy)`);
  }
  saveTranslator(modelDir, models, { source, target }, { decode });
  models.forEach((m) => m.dispose());
  const [first] = histories as Record<string, unknown>[];
  writeJsonAtomic(join(expDir, 'train-history.json'), { ...first, members: histories, ensemble });
  console.log(`  model in ${modelDir}`);
}

/** Train the member with overrides `member` in `dir`; returns the kept model and its history. */
async function trainMember(
  {
    dir, dataDir, resume, member, source, target, scoreDev,
  }: {
    dir: string; dataDir: string; resume: boolean; member: MemberOverrides; source: Vocabulary; target: Vocabulary;
    scoreDev: (model: Seq2Seq) => { bleu: number; exact: number };
  },
  cfg: TranslationRecipeConfig,
): Promise<{ model: Seq2Seq; history: Record<string, unknown> }> {
  const train = readSplit(dataDir, 'train')
    .map((p) => ({ x: source.encode(p.source), y: target.encode(p.target) }))
    .filter((e) => e.x.length > 0);
  const { trainSeed = cfg.train.seed, ...overrides } = member;
  const model = new Seq2Seq({ ...cfg.model, ...overrides, sourceVocabSize: source.size, targetVocabSize: target.size });
  const weights = model.namedWeights();
  const optimizer = adam(cfg.train.learningRate);
  const buckets = lengthBuckets(train, (e) => e.x.length * 1e6 + e.y.length, cfg.train.batchSize);
  const devScore = (r: { bleu: number; exact: number }) => (cfg.train.selectBy === 'bleu' ? -r.bleu : 1 - r.exact);

  const t0 = performance.now();
  const state = await trainLoop({
    dir,
    weights,
    optimizer,
    epochs: cfg.train.epochs,
    resume,
    clipNorm: cfg.train.clipNorm,
    keepEpochs: cfg.train.average > 1,
    // Each batch carries the seed of its dropout masks, so a run (and a resumed run) repeats exactly.
    batches: (epoch) => epochBatches(buckets, trainSeed, epoch),
    batchSize: (b) => b.examples.length,
    loss: ({ examples, maskSeed }) => {
      const batch = translationBatch(examples.map((e) => e.x), examples.map((e) => e.y));
      return model.loss(batch, { training: true, labelSmoothing: cfg.train.labelSmoothing, dropoutSeed: maskSeed });
    },
    validate: async () => {
      const r = scoreDev(model);
      return { score: devScore(r), devBleu: r.bleu, devExact: r.exact };
    },
    labels: { score: { hide: true }, devBleu: { label: 'dev BLEU' }, devExact: { label: 'dev exact match', percent: true } },
  });
  const seconds = (performance.now() - t0) / 1000;
  loadWeights(join(dir, 'best.safetensors'), weights);
  const steps = buckets.length * state.epoch;
  const best = state.history.find((h) => h.epoch === state.bestEpoch) ?? {};
  console.log(
    `  best dev: BLEU ${Number(best.devBleu).toFixed(2)}, exact match ${(100 * Number(best.devExact)).toFixed(2)}% ` +
      `at epoch ${state.bestEpoch}; ${steps} steps, ${seconds.toFixed(0)} s in this run`,
  );
  let averaged: { epochs: number[]; bleu: number; exact: number; kept: boolean } | undefined;
  if (cfg.train.average > 1) {
    // The mean of the K best epochs' weights, kept if it scores at least as well on dev as the best epoch.
    const epochs = [...state.history]
      .sort((a, b) => a.score - b.score || b.epoch - a.epoch)
      .slice(0, cfg.train.average)
      .map((h) => h.epoch);
    averageWeights(epochs.map((e) => epochWeightsPath(dir, e)), weights);
    const r = scoreDev(model);
    averaged = { epochs, ...r, kept: devScore(r) <= state.best };
    console.log(
      `  average of epochs ${epochs.join(', ')}: dev BLEU ${r.bleu.toFixed(2)}, exact match ${(100 * r.exact).toFixed(2)}% → ` +
        (averaged.kept ? 'kept' : `the best epoch (${state.bestEpoch}) kept`),
    );
    if (!averaged.kept) loadWeights(join(dir, 'best.safetensors'), weights);
  }
  return { model, history: { ...state, steps, seconds, averaged } };
}
