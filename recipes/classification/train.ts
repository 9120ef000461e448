/**
 * Stage 2 of a classification recipe: the sequence classifier trained on length-bucketed batches
 * with ragged lengths (Adam or RMSprop, optional cosine decay, gradient clipping), dev accuracy
 * after every epoch (dev read at text.readLength), the best epoch kept, or the mean of the last
 * train.average epochs; a checkpoint after every epoch (--resume) →
 * exp/NAME/model/ (what `sori classify` loads) and exp/NAME/train-history.json.
 *
 * Each entry of train.members trains one model so (member m ≥ 2 in exp/NAME/train/member-m/);
 * two or more are saved as one ensemble whose class probabilities are averaged. With
 * train.workers W > 1 the members train W at a time, each in its own process (train-worker.ts):
 * a member's training depends only on its seed, so the weights equal those of one process.
 */
import { fork } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  accuracy,
  adam,
  averageWeights,
  backendInfo,
  classifierLoss,
  classifierWeights,
  classifyIds,
  cosineSchedule,
  createClassifier,
  disposeClassifier,
  encodeUnits,
  epochWeightsPath,
  fitLength,
  lengthBucketedBatches,
  loadWeights,
  mulberry32,
  padRows,
  readJsonFile,
  saveTextClassifier,
  saveWeights,
  summary,
  textClassifier,
  textUnits,
  trainLoop,
  writeJsonAtomic,
  type ClassifierConfig,
  type LabelledText,
} from '../../src/index.ts';
import { classIds, readPrepared, readSplit, type ClassificationRecipeConfig, type ClassifierMember, type ExpDirs } from './data.ts';

/** Throw, naming the entry and key, unless train.members is a non-empty list of member overrides and train.workers ≥ 1. */
export function checkMembers(cfg: ClassificationRecipeConfig): void {
  const { members, workers } = cfg.train;
  if (!Array.isArray(members) || members.length === 0) throw new Error(`train.members: expected a non-empty list of member overrides ([{}]: one model), got ${JSON.stringify(members)}`);
  members.forEach((m, i) => {
    if (typeof m !== 'object' || m === null || Array.isArray(m)) throw new Error(`train.members[${i}]: expected an object, got ${JSON.stringify(m)}`);
    for (const key of Object.keys(m)) {
      if (key !== 'seed' && !(key in cfg.model)) throw new Error(`train.members[${i}]: unknown key '${key}' (keys of the model section, or seed)`);
    }
  });
  if (!(Number.isInteger(workers) && workers >= 1)) throw new Error(`train.workers: expected an integer ≥ 1, got ${workers}`);
}

/** What one member's training needs (sent to a worker process as it is). */
export interface MemberJob {
  cfg: ClassificationRecipeConfig;
  dataDir: string;
  /** Its checkpoints, kept weights (kept.safetensors) and history.json. */
  dir: string;
  member: ClassifierMember;
  resume: boolean;
}

/** The classifier config of `member`: the model section with its overrides. */
function memberConfig(cfg: ClassificationRecipeConfig, member: ClassifierMember, vocabSize: number, numClasses: number): ClassifierConfig {
  const { seed: _seed, ...overrides } = member;
  return { ...cfg.model, ...overrides, vocabSize, numClasses, maxLength: cfg.text.maxLength };
}

export async function train(cfg: ClassificationRecipeConfig, dirs: ExpDirs, resume: boolean): Promise<void> {
  checkMembers(cfg);
  const { members, workers } = cfg.train;
  const M = members.length;
  const jobs: MemberJob[] = members.map((member, m) => ({
    cfg,
    dataDir: dirs.dataDir,
    dir: m === 0 ? dirs.trainDir : join(dirs.trainDir, `member-${m + 1}`),
    member,
    resume,
  }));
  const t0 = performance.now();
  if (workers > 1 && M > 1) await trainInProcesses(jobs, workers);
  else {
    for (const [m, job] of jobs.entries()) {
      if (M > 1) console.log(`  member ${m + 1} of ${M}: ${JSON.stringify(job.member)}`);
      await trainMember(job);
    }
  }
  const seconds = (performance.now() - t0) / 1000;

  const { labels, vocabulary } = readPrepared(dirs.dataDir);
  const models = jobs.map((job) => {
    const model = createClassifier(memberConfig(cfg, job.member, vocabulary.size, labels.length));
    loadWeights(join(job.dir, 'kept.safetensors'), classifierWeights(model));
    return model;
  });
  const text = { unit: cfg.text.unit, keep: cfg.text.keep, ...(cfg.text.readLength ? { maxLength: cfg.text.readLength } : {}) };
  const classifier = textClassifier(models, vocabulary, text, labels);
  const histories = jobs.map((job) => readJsonFile(join(job.dir, 'history.json')) as Record<string, unknown>);
  if (M > 1) console.log(`  ensemble of ${M}: members' dev accuracy ${histories.map((h) => (100 * Number(h.keptDevAccuracy)).toFixed(2)).join(', ')} % (the ensemble's: stage 3)`);
  saveTextClassifier(dirs.modelDir, classifier);
  classifier.dispose();
  writeJsonAtomic(join(dirs.expDir, 'train-history.json'), { ...histories[0], ...(M > 1 ? { members: histories, seconds } : {}) });
  console.log(`  model in ${dirs.modelDir}`);
}

/** Train the jobs `workers` at a time, each in a process of its own; its output lines are prefixed [member m]. */
async function trainInProcesses(jobs: MemberJob[], workers: number): Promise<void> {
  const ts = import.meta.url.endsWith('.ts');
  const entry = fileURLToPath(new URL(ts ? './train-worker.ts' : './train-worker.js', import.meta.url));
  // Under tsx the loader is in execArgv already; elsewhere (e.g. a test runner) a .ts entry needs it.
  const execArgv = ts && !process.execArgv.some((a) => a.includes('tsx')) ? [...process.execArgv, '--import', 'tsx'] : process.execArgv;
  const backend = backendInfo()?.name;
  const running = new Set<ReturnType<typeof fork>>();
  let failed = false;
  const runOne = (job: MemberJob, m: number) =>
    new Promise<void>((resolve, reject) => {
      console.log(`  member ${m + 1} of ${jobs.length} in process: ${JSON.stringify(job.member)}`);
      const child = fork(entry, [], { execArgv, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
      running.add(child);
      for (const [from, to] of [[child.stdout, process.stdout], [child.stderr, process.stderr]] as const) {
        createInterface({ input: from! }).on('line', (line) => to.write(`  [member ${m + 1}] ${line}\n`));
      }
      let error = '';
      child.on('message', (msg: { error?: string }) => (error = msg.error ?? ''));
      child.on('error', (err) => (error ||= err.message));
      child.on('exit', (code, signal) => {
        running.delete(child);
        if (code === 0 && !error) resolve();
        else reject(new Error(`train.members[${m}]: its training process ${signal ? `was stopped by ${signal}` : `exited with code ${code}`}${error ? `: ${error}` : ''}`));
      });
      child.send({ job, backend });
    });
  let next = 0;
  let firstError: unknown;
  const lane = async () => {
    while (next < jobs.length && !failed) {
      const m = next++;
      await runOne(jobs[m], m).catch((err) => {
        if (!failed) firstError = err; // the cause; the others are stopped because of it
        failed = true;
        running.forEach((c) => c.kill()); // the others resume from their checkpoints with --resume
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(workers, jobs.length) }, lane));
  if (failed) throw firstError;
}

/**
 * Train one member in `job.dir`: checkpoints, the kept weights (best dev epoch, or the mean of the
 * last train.average epochs) in kept.safetensors and its history in history.json.
 */
export async function trainMember({ cfg, dataDir, dir, member, resume }: MemberJob): Promise<void> {
  const { labels, vocabulary } = readPrepared(dataDir);
  const trainRows = readSplit(dataDir, 'train');
  const devRows = readSplit(dataDir, 'dev');
  const modelConfig = memberConfig(cfg, member, vocabulary.size, labels.length);
  const { optimizer: kind, learningRate, finalLearningRate, epochs, batchSize } = cfg.train;
  const seed = member.seed ?? cfg.train.seed;
  const { average } = cfg.train;
  if (!(Number.isInteger(average) && average >= 1 && average <= epochs)) throw new Error(`train.average: expected an integer in [1, ${epochs}] (train.epochs), got ${average}`);
  if (kind !== 'adam' && kind !== 'rmsprop') throw new Error(`train.optimizer: expected 'adam' or 'rmsprop', got '${kind}'`);
  const model = createClassifier(modelConfig, { seed });
  console.log(summary(model));
  const encode = (rows: LabelledText[]) =>
    rows.map((r) => fitLength(encodeUnits(vocabulary, textUnits(r.text, cfg.text.unit)), cfg.text.maxLength, cfg.text.keep));
  const trainIds = encode(trainRows);
  const trainLabels = classIds(trainRows, labels, 'train');
  const readLength = cfg.text.readLength || cfg.text.maxLength;
  const devIds = devRows.map((r) => fitLength(encodeUnits(vocabulary, textUnits(r.text, cfg.text.unit)), readLength, cfg.text.keep));
  const devLabels = classIds(devRows, labels, 'dev');
  const units = trainIds.reduce((s, r) => s + r.length, 0);
  console.log(`  ${trainIds.length} training texts, ${units} units (${(units / trainIds.length).toFixed(0)} per text, cut to ${cfg.text.maxLength})`);

  const weights = classifierWeights(model);
  // Keras's RMSprop: ρ = 0.9, ε = 1e-7.
  const optimizer = kind === 'rmsprop' ? tf.train.rmsprop(learningRate, 0.9, 0, 1e-7) : adam(learningRate); // adam: tf.train.adam's update on the native kernels
  const padTo = modelConfig.pooling === 'flatten' ? modelConfig.maxLength : undefined;
  const lengths = trainIds.map((r) => r.length);
  const t0 = performance.now();
  const state = await trainLoop({
    dir,
    weights,
    optimizer,
    epochs,
    resume,
    keepEpochs: true,
    clipNorm: cfg.train.clipNorm,
    learningRate: finalLearningRate === learningRate ? undefined : cosineSchedule(learningRate, finalLearningRate, epochs),
    // Batches and dropout masks depend only on the seed and the epoch, so a resumed run repeats exactly.
    batches: (epoch) => {
      const random = mulberry32(seed * 1000 + epoch);
      return lengthBucketedBatches(lengths, { batchSize, seed: seed * 1000 + epoch }).map((indices) => ({
        indices,
        maskSeed: Math.floor(random() * 2 ** 31),
      }));
    },
    batchSize: (b) => b.indices.length,
    loss: ({ indices, maskSeed }) => {
      const { ids, lengths: batchLengths } = padRows(
        indices.map((i) => trainIds[i]),
        padTo,
      );
      const labelsOfBatch = indices.map((i) => trainLabels[i]);
      const loss = classifierLoss(model, ids, batchLengths, labelsOfBatch, { training: true, dropoutSeed: maskSeed });
      ids.dispose();
      return loss;
    },
    validate: async () => {
      const devAccuracy = accuracy(classifyIds(model, devIds, 128), devLabels);
      return { score: 1 - devAccuracy, devAccuracy };
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  const best = state.history.find((h) => h.epoch === state.bestEpoch) ?? {};
  let kept: { keptDevAccuracy: number; average?: { epochs: number[]; devAccuracy: number } };
  if (average > 1) {
    const last = Array.from({ length: average }, (_, i) => epochs - average + 1 + i);
    averageWeights(
      last.map((e) => epochWeightsPath(dir, e)),
      weights,
    );
    const devAccuracy = accuracy(classifyIds(model, devIds, 128), devLabels);
    console.log(`  the mean of epochs ${last.join(', ')}: dev accuracy ${(100 * devAccuracy).toFixed(2)}%`);
    kept = { keptDevAccuracy: devAccuracy, average: { epochs: last, devAccuracy } };
  } else {
    loadWeights(join(dir, 'best.safetensors'), weights);
    kept = { keptDevAccuracy: Number(best.devAccuracy) };
  }
  saveWeights(join(dir, 'kept.safetensors'), weights);
  disposeClassifier(model);
  writeJsonAtomic(join(dir, 'history.json'), { ...state, seconds, seed, ...kept });
  console.log(
    `  best epoch's dev accuracy ${(100 * Number(best.devAccuracy)).toFixed(2)}% at epoch ${state.bestEpoch}; ` +
      `${seconds.toFixed(0)} s of training in this run`,
  );
}
