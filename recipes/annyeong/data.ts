/**
 * The annyeong experiment's lists and features as the stages pass them on: stage 1 writes
 * exp/annyeong/data/SPLIT.jsonl (each utterance with its label ids and its audio path relative to
 * the corpus root), stage 2 writes
 * exp/annyeong/feats/SPLIT.{jsonl,safetensors} (the utterances and perturbed copies it made
 * features for), which training reads back as examples.
 */
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { encodeTranscript, loadSafetensors, readDataDir, readJsonLines, writeFileAtomic, type SymbolTable } from '../../src/index.ts';

/** One utterance with its features, as training and validation see it. */
export interface Example {
  id: string;
  text: string;
  labels: number[];
  /** [T, F] */
  feats: tf.Tensor2D;
}

/** Stage 1: check the corpus, write each split's utterances with their label ids. */
export function listUtterances({ corpus, dataDir, splits }: { corpus: string; dataDir: string; splits: string[] }, symbols: SymbolTable): void {
  if (!existsSync(join(corpus, 'train', 'wav.scp'))) {
    throw new Error(
      `${corpus}/train/wav.scp is missing: the corpus is committed with the repository; ` +
        `regenerate it with 'npx tsx recipes/annyeong/generate.ts --out ${corpus}' (needs espeak-ng and sox)`,
    );
  }
  for (const split of splits) {
    // audio paths relative to the corpus root, so that exp/ can be moved (and the corpus too)
    const utts = readDataDir(corpus, split).map((u) => ({
      ...u,
      audio: relative(resolve(corpus), u.audio),
      labels: encodeTranscript(u.text, symbols, `${split}/${u.id}`),
    }));
    writeFileAtomic(join(dataDir, `${split}.jsonl`), utts.map((u) => JSON.stringify(u)).join('\n') + '\n');
    console.log(`  ${split}: ${utts.length} utterances`);
  }
}

/**
 * The JSON lines of `path`, each an object with the string fields `keys` (a file cut off by a
 * kill, or edited by hand, is an error naming the file and line).
 */
export function readRecords<K extends string>(path: string, keys: readonly K[]): (Record<K, string> & Record<string, unknown>)[] {
  return readJsonLines(path, {
    as: (json) => {
      const missing = keys.filter((k) => typeof (json as Record<string, unknown> | null)?.[k] !== 'string');
      if (missing.length > 0) throw new Error(`expected an object with string fields ${keys.join(', ')} (no ${missing.join(', ')})`);
      return json as Record<K, string> & Record<string, unknown>;
    },
  });
}

/** One split's features and labels (stage 2's output): the utterances and, for train, its perturbed copies. */
export function loadExamples(featDir: string, split: string): Example[] {
  const path = join(featDir, `${split}.jsonl`);
  const utts = readRecords(path, ['id', 'text']).map((u, i) => {
    if (!Array.isArray(u.labels) || !u.labels.every((l) => Number.isInteger(l) && l >= 0)) throw new Error(`${path}: record ${i + 1}: labels must be non-negative integers`);
    return { id: u.id, text: u.text, labels: u.labels as number[] };
  });
  const weightsPath = join(featDir, `${split}.safetensors`);
  const { tensors } = loadSafetensors(weightsPath);
  return utts.map((u) => {
    const feats = tensors[u.id];
    if (feats?.rank !== 2) throw new Error(`${weightsPath}: no features [T, F] for an utterance of ${path}`);
    return { ...u, feats: feats as tf.Tensor2D };
  });
}

/** Pad examples into x [B, T, F] and their frame counts [B]. */
export function batchOf(examples: Example[]): { x: tf.Tensor3D; lengths: number[] } {
  const lengths = examples.map((e) => e.feats.shape[0]);
  const T = Math.max(1, ...lengths);
  const x = tf.tidy(
    () => tf.stack(examples.map((e) => tf.pad(e.feats, [[0, T - e.feats.shape[0]], [0, 0]]))) as tf.Tensor3D, // [B, T, F]
  );
  return { x, lengths };
}
