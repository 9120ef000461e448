/**
 * Checkpoints: a model's named weights, the optimizer's state and the training state (epoch,
 * best score, history) in ONE safetensors file, replaced atomically, so a kill at any moment
 * leaves either the previous checkpoint or the new one, never a mixture.
 */
import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { loadSafetensors, saveSafetensors } from '../io/safetensors.ts';
import { assignNamed, type NamedWeights } from '../io/weights.ts';

/** What a training run needs to continue where it stopped. */
export interface TrainState {
  /** Epochs finished (1-based count). */
  epoch: number;
  /** Best validation score so far (lower is better) and the epoch it came from. */
  best: number;
  bestEpoch: number;
  /** One entry per finished epoch. */
  history: Record<string, number>[];
}

/** Save model weights, optimizer state and training state to one file, atomically. */
export async function saveCheckpoint(
  path: string,
  weights: NamedWeights,
  optimizer: tf.Optimizer,
  state: TrainState,
): Promise<void> {
  const tensors: Record<string, tf.Tensor> = {};
  for (const [name, v] of Object.entries(weights)) tensors[`model/${name}`] = v;
  // The optimizer's slots are positional (they follow the order of the variable list).
  const slots = await optimizer.getWeights();
  slots.forEach((s, i) => (tensors[`optimizer/${String(i).padStart(4, '0')}`] = s.tensor));
  saveSafetensors(path, tensors, {
    state: JSON.stringify(state),
    optimizerSlots: JSON.stringify(slots.map((s) => s.name)),
  });
  // getWeights makes a fresh tensor for the iteration count; the slots proper are variables.
  for (const s of slots) if (!(s.tensor instanceof tf.Variable)) s.tensor.dispose();
}

/** Restore a checkpoint written by saveCheckpoint; returns the training state. */
export async function loadCheckpoint(
  path: string,
  weights: NamedWeights,
  optimizer: tf.Optimizer,
): Promise<TrainState> {
  if (!existsSync(path)) throw new Error(`checkpoint '${path}' does not exist`);
  const { tensors, metadata } = loadSafetensors(path);
  try {
    const model: Record<string, tf.Tensor> = {};
    for (const [k, t] of Object.entries(tensors)) if (k.startsWith('model/')) model[k] = t;
    assignNamed(model, weights, path, 'model/');
    const names: string[] = JSON.parse(metadata.optimizerSlots ?? '[]');
    const slots = names.map((name, i) => ({ name, tensor: tensors[`optimizer/${String(i).padStart(4, '0')}`] }));
    await optimizer.setWeights(slots);
    return JSON.parse(metadata.state) as TrainState;
  } finally {
    tf.dispose(Object.values(tensors));
  }
}
