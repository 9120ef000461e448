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
  // State getWeights leaves out, kept bit for bit (Adam's β₁ᵗ, β₂ᵗ: setWeights would recompute
  // them with a float32 pow that differs from the running product in the last bits).
  for (const [name, v] of Object.entries(scalarState(optimizer))) tensors[`optimizer-state/${name}`] = v;
  saveSafetensors(path, tensors, {
    state: JSON.stringify({ ...state, best: String(state.best) }),
    optimizerSlots: JSON.stringify(slots.map((s) => s.name)),
  });
  // getWeights makes a fresh tensor for the iteration count; the slots proper are variables.
  for (const s of slots) if (!(s.tensor instanceof tf.Variable)) s.tensor.dispose();
}

/**
 * The optimizer's own variables outside its per-weight slots, by field name (Adam: accBeta1,
 * accBeta2; Adamax: accBeta1, iteration): bias-correction powers and step counters.
 */
function scalarState(optimizer: tf.Optimizer): Record<string, tf.Variable> {
  const out: Record<string, tf.Variable> = {};
  for (const [k, v] of Object.entries(optimizer)) if (v instanceof tf.Variable) out[k] = v;
  return out;
}

function parseState(json: string | undefined, path: string): TrainState {
  let state: TrainState & { best: unknown };
  try {
    state = JSON.parse(json ?? '');
  } catch {
    throw new Error(`${path}: the checkpoint's training state (metadata 'state') is missing or not JSON`);
  }
  if (!state || !Number.isInteger(state.epoch) || state.epoch < 0 || !Array.isArray(state.history)) {
    throw new Error(`${path}: the checkpoint's training state has no valid epoch and history`);
  }
  // best is stored as a string: JSON has no Infinity (it would come back as null).
  return { ...state, best: Number(state.best ?? Infinity) };
}

/**
 * The weights in the order a tfjs optimizer keeps their slots: the key order of a map from
 * variable name to gradient built in `weights` order (tf.variableGrads), in which integer-like
 * names ('0', '46') come first, ascending, then the others in insertion order.
 */
function optimizerOrder(weights: NamedWeights): tf.Variable[] {
  const byName: Record<string, tf.Variable> = {};
  for (const v of Object.values(weights)) byName[v.name] = v;
  return Object.values(byName);
}

/**
 * The optimizer slots of a checkpoint, checked: one tensor per listed name, and the per-weight
 * slots (all but the step count 'iter') in groups that follow the weights' order and
 * shapes (Adam: every first moment, then every second moment).
 */
function optimizerSlots(json: string | undefined, tensors: Record<string, tf.Tensor>, weights: tf.Variable[], path: string) {
  let names: unknown;
  try {
    names = JSON.parse(json ?? '[]');
  } catch {
    names = null;
  }
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) {
    throw new Error(`${path}: the checkpoint's optimizer slot list (metadata 'optimizerSlots') is not a list of names`);
  }
  const slots = names.map((name, i) => {
    const tensor = tensors[`optimizer/${String(i).padStart(4, '0')}`];
    if (!tensor) throw new Error(`${path}: optimizer slot ${i} ('${name}') is missing`);
    return { name, tensor };
  });
  const perWeight = slots.filter((s) => s.name !== 'iter'); // 'iter': the step count every tfjs optimizer saves first
  const n = weights.length;
  if (n > 0 && perWeight.length > 0 && perWeight.length % n === 0) {
    perWeight.forEach((s, i) => {
      const w = weights[i % n];
      if (!tf.util.arraysEqual(s.tensor.shape, w.shape)) {
        throw new Error(`${path}: optimizer slot '${s.name}' has shape [${s.tensor.shape}], the weight it belongs to ('${w.name}') has [${w.shape}]`);
      }
    });
  } else if (n > 0 && perWeight.length > 0) {
    throw new Error(`${path}: ${perWeight.length} optimizer slots do not fit the model's ${n} weights`);
  }
  return slots;
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
    const state = parseState(metadata.state, path);
    const slots = optimizerSlots(metadata.optimizerSlots, tensors, optimizerOrder(weights), path);
    const model: Record<string, tf.Tensor> = {};
    for (const [k, t] of Object.entries(tensors)) if (k.startsWith('model/')) model[k] = t;
    assignNamed(model, weights, path, 'model/');
    await optimizer.setWeights(slots);
    const own = scalarState(optimizer);
    for (const [k, t] of Object.entries(tensors)) {
      if (!k.startsWith('optimizer-state/')) continue;
      const v = own[k.slice('optimizer-state/'.length)];
      if (!v || !tf.util.arraysEqual(v.shape, t.shape)) throw new Error(`${path}: optimizer state '${k}' does not fit this optimizer`);
      v.assign(t);
    }
    return state;
  } finally {
    tf.dispose(Object.values(tensors));
  }
}
