/**
 * RnnStack: a cell kind run over [B, T, F] input, in `numLayers` layers, one or two directions.
 *
 *   y^(0) = x
 *   y^(k+1) = [ runDirection(y^(k)) ; reverse runDirection(y^(k)) ]      [B, T, H·D]
 *   (dropout on y^(k+1) between layers, in training only)
 *
 * Weights, state layout and names follow PyTorch's `nn.RNN` / `nn.LSTM` / `nn.GRU`:
 * final states h_n, c_n are [L·D, B, H] indexed by layer·D + direction, and
 * `loadTorchStateDict` / `toTorchStateDict` use PyTorch's state_dict keys.
 */
import * as tf from '@tensorflow/tfjs';
import { checkDim, checkInt, checkKeys, checkRank } from '../check.ts';
import { CELLS, cellSpec, type CellKind, type CellSpec, type CellState } from './cell.ts';
import { runDirection, unstack } from './layer.ts';
import {
  defaultRnnKernel,
  nativeKernelUnavailable,
  RNN_KERNELS,
  runFusedDirection,
  runNativeDirection,
  type RnnKernel,
} from './bptt/direction.ts';
import { initCellWeights, type CellWeights } from './weights.ts';
import { dropout } from '../nn/dropout.ts';
import type { SimpleNonlinearity } from './simple.ts';
import type { GruForm } from './gru.ts';
import {
  assignTorchStateDict,
  torchParameterName,
  torchStateDictOf,
  type TorchStateDict,
} from './torch-state-dict.ts';

export interface RnnStackOptions {
  /** The cell kind: 'simple' | 'lstm' | 'gru' | 'mgu'. */
  cell: CellKind;
  /** F: features per input step. */
  inputSize: number;
  /** H: hidden units per layer and direction. */
  hiddenSize: number;
  /** L: stacked layers; default 1. */
  numLayers?: number;
  /** Run a reversed copy of each layer too (D = 2); default false. */
  bidirectional?: boolean;
  /** Dropout rate on each layer's output except the last, in training only; default 0. */
  dropout?: number;
  /** φ of a 'simple' cell: 'tanh' (default) | 'relu'. Only for cell 'simple'. */
  nonlinearity?: SimpleNonlinearity;
  /** Where a GRU's reset gate acts: 'reset-after' (PyTorch, default) | 'lecture'. Only for cell 'gru'. */
  gruForm?: GruForm;
  /** Seed for the U(−1/√H, 1/√H) initialisation; default: random. */
  seed?: number;
  /**
   * The loop over time: 'native' (hand-written BPTT in sori's WebAssembly SIMD kernels,
   * src/native) | 'fused' (the same BPTT, gate arithmetic in JavaScript, src/rnn/bptt) |
   * 'reference' (runDirection, autodiff). Default: 'native' where WebAssembly SIMD runs, else 'fused'.
   */
  kernel?: RnnKernel;
  /**
   * Bias vectors per gate group: 'two' (PyTorch: b_ih and b_hh, default) | 'one' (Keras: a
   * single trainable b = bias_ih; b_hh is held at 0 and is not a weight). With 'one', a
   * SimpleRNN(32) on 32 features has 2,080 parameters and an LSTM(32) 8,320, as Keras counts.
   */
  biases?: 'two' | 'one';
}

/** Final (or initial) states in PyTorch's layout: h [L·D, B, H], c [L·D, B, H] (LSTM only). */
export type RnnStates = {
  h: tf.Tensor3D;
  c?: tf.Tensor3D;
};

export interface RnnApplyOptions {
  /** Real steps per sample, each in [0, T]: number[B] or an int Tensor1D [B]; default: all T. */
  lengths?: number[] | tf.Tensor1D;
  /** States before the first step, as returned in `states`; default zeros. */
  initialStates?: RnnStates;
  /** Apply dropout between layers; default false. */
  training?: boolean;
  /**
   * Seed of the dropout masks: layer l's mask is drawn with seed dropoutSeed + l, so a training
   * run can be repeated exactly (pass a new value per batch); default: unseeded.
   */
  dropoutSeed?: number;
}

export type RnnResult = {
  /** Every step's output of the last layer, directions concatenated: [B, T, H·D]; 0 at padded steps. */
  outputs: tf.Tensor3D;
  /** Each layer's and direction's state after the sample's last real step (index layer·D + direction). */
  states: RnnStates;
};

const OPTION_KEYS = [
  'cell',
  'inputSize',
  'hiddenSize',
  'numLayers',
  'bidirectional',
  'dropout',
  'nonlinearity',
  'gruForm',
  'seed',
  'kernel',
  'biases',
] as const;

let stackCount = 0;

export class RnnStack {
  readonly cell: CellSpec;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bidirectional: boolean;
  /** D: 1 or 2. */
  readonly numDirections: number;
  readonly dropout: number;
  readonly kernel: RnnKernel;
  /** 'two' (b_ih and b_hh) or 'one' (b_ih only; b_hh ≡ 0). */
  readonly biases: 'two' | 'one';
  /** Every weight, in PyTorch's state_dict order (layer, direction, weight_ih, weight_hh, bias_ih, bias_hh). */
  readonly trainableWeights: tf.Variable[] = [];
  /** PyTorch's name of each entry of `trainableWeights` (same order), e.g. 'weight_hh_l0_reverse'. */
  readonly weightNames: string[] = [];
  /** cellWeights[layer][direction] */
  private readonly cellWeights: CellWeights[][] = [];
  /** The constant zero b_hh of each layer and direction when biases is 'one'. */
  private readonly constants: tf.Tensor[] = [];

  constructor(options: RnnStackOptions) {
    if (options === null || typeof options !== 'object') throw new Error(`RnnStack options: expected an object, got ${options}`);
    checkKeys(options, OPTION_KEYS, 'RnnStack');
    const {
      cell,
      inputSize,
      hiddenSize,
      numLayers = 1,
      bidirectional = false,
      dropout = 0,
      nonlinearity,
      gruForm,
      seed,
      kernel: kernelOption,
      biases = 'two',
    } = options;
    const kind = cellSpec(cell, 'cell').kind;
    checkInt(inputSize, 1, Number.MAX_SAFE_INTEGER, 'inputSize');
    checkInt(hiddenSize, 1, Number.MAX_SAFE_INTEGER, 'hiddenSize');
    checkInt(numLayers, 1, Number.MAX_SAFE_INTEGER, 'numLayers');
    if (typeof bidirectional !== 'boolean') throw new Error(`bidirectional: expected a boolean, got ${bidirectional}`);
    if (typeof dropout !== 'number' || !(dropout >= 0 && dropout < 1)) {
      throw new Error(`dropout: expected a rate in [0, 1), got ${dropout}`);
    }
    if (nonlinearity !== undefined && kind !== 'simple') {
      throw new Error(`nonlinearity: only for cell 'simple', got '${nonlinearity}' with cell '${kind}'`);
    }
    if (nonlinearity !== undefined && nonlinearity !== 'tanh' && nonlinearity !== 'relu') {
      throw new Error(`nonlinearity: expected 'tanh' or 'relu', got '${nonlinearity}'`);
    }
    if (gruForm !== undefined && kind !== 'gru') {
      throw new Error(`gruForm: only for cell 'gru', got '${gruForm}' with cell '${kind}'`);
    }
    if (gruForm !== undefined && gruForm !== 'reset-after' && gruForm !== 'lecture') {
      throw new Error(`gruForm: expected 'reset-after' or 'lecture', got '${gruForm}'`);
    }
    if (biases !== 'two' && biases !== 'one') throw new Error(`biases: expected 'two' or 'one', got '${biases}'`);
    if (seed !== undefined && !Number.isFinite(seed)) throw new Error(`seed: expected a number, got ${seed}`);

    this.cell =
      kind === 'simple'
        ? { kind, nonlinearity: nonlinearity ?? 'tanh' }
        : kind === 'gru'
          ? { kind, form: gruForm ?? 'reset-after' }
          : { kind };
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.numLayers = numLayers;
    this.bidirectional = bidirectional;
    this.numDirections = bidirectional ? 2 : 1;
    this.dropout = dropout;
    if (kernelOption !== undefined && !RNN_KERNELS.includes(kernelOption)) {
      throw new Error(`kernel: expected one of ${RNN_KERNELS.join(', ')}, got '${kernelOption}'`);
    }
    if (kernelOption === 'native' && nativeKernelUnavailable()) {
      throw new Error(`kernel: 'native' cannot run here: ${nativeKernelUnavailable()}`);
    }
    this.kernel = kernelOption ?? defaultRnnKernel();
    this.biases = biases;

    const scope = `rnn_stack_${stackCount++}`;
    const gates = CELLS[kind].gates;
    for (let layer = 0; layer < numLayers; layer++) {
      const layerInput = layer === 0 ? inputSize : hiddenSize * this.numDirections;
      const directions: CellWeights[] = [];
      for (let direction = 0; direction < this.numDirections; direction++) {
        const index = layer * this.numDirections + direction;
        const initial = initCellWeights(gates, layerInput, hiddenSize, seed === undefined ? undefined : seed + 4 * index);
        const reverse = direction === 1;
        const variable = (tensor: tf.Tensor, parameter: 'weight_ih' | 'weight_hh' | 'bias_ih' | 'bias_hh') => {
          const name = torchParameterName(parameter, layer, reverse);
          const v = tf.variable(tensor, true, `${scope}/${name}`);
          tensor.dispose();
          this.trainableWeights.push(v);
          this.weightNames.push(name);
          return v;
        };
        directions.push({
          weightIh: variable(initial.weightIh, 'weight_ih') as tf.Variable<tf.Rank.R2>,
          weightHh: variable(initial.weightHh, 'weight_hh') as tf.Variable<tf.Rank.R2>,
          biasIh: variable(initial.biasIh, 'bias_ih') as tf.Variable<tf.Rank.R1>,
          biasHh: biases === 'two' ? (variable(initial.biasHh, 'bias_hh') as tf.Variable<tf.Rank.R1>) : this.zeroBias(initial.biasHh),
        });
      }
      this.cellWeights.push(directions);
    }
  }

  /** The shapes PyTorch gives each state_dict key for this configuration. */
  get torchShapes(): Record<string, number[]> {
    const shapes: Record<string, number[]> = {};
    this.weightNames.forEach((name, i) => (shapes[name] = this.trainableWeights[i].shape));
    return shapes;
  }

  /**
   * Run the stack over x [B, T, F].
   * Returns outputs [B, T, H·D] (0 at padded steps) and states { h [L·D, B, H], c [L·D, B, H] }.
   */
  apply(x: tf.Tensor3D, options: RnnApplyOptions = {}): RnnResult {
    checkKeys(options, ['lengths', 'initialStates', 'training', 'dropoutSeed'], 'apply');
    const { lengths, initialStates, training = false, dropoutSeed } = options;
    if (dropoutSeed !== undefined && !Number.isFinite(dropoutSeed)) throw new Error(`dropoutSeed: expected a number, got ${dropoutSeed}`);
    if (!(x instanceof tf.Tensor)) throw new Error(`x: expected a tf.Tensor [B, T, F], got ${typeof x}`);
    checkRank(x, 3, 'x', '[B, T, F]');
    checkDim(x, 2, this.inputSize, 'x', 'inputSize F');
    const [B, T] = x.shape;
    const lengthValues = lengths === undefined ? undefined : this.checkLengths(lengths, B, T);
    this.checkInitialStates(initialStates, B);
    const { stateNames } = CELLS[this.cell.kind];
    const D = this.numDirections;

    return tf.tidy(() => {
      // mask [B, T]: 1 where t < lengths[b]
      const mask =
        lengthValues === undefined
          ? undefined
          : tf.tensor2d(
              lengthValues.flatMap((len) => Array.from({ length: T }, (_, t) => (t < len ? 1 : 0))),
              [B, T],
            );
      const initial = stateNames.map((name) =>
        initialStates ? (unstack(initialStates[name]!, 0) as tf.Tensor2D[]) : undefined,
      ); // per state name: (L·D) × [B, H]
      const finals: CellState[] = [];
      let layerInput: tf.Tensor3D = x;
      for (let layer = 0; layer < this.numLayers; layer++) {
        const directionOutputs: tf.Tensor3D[] = [];
        for (let direction = 0; direction < D; direction++) {
          const index = layer * D + direction;
          let state0: CellState | undefined;
          if (initialStates) {
            state0 = { h: initial[0]![index] };
            if (stateNames.includes('c')) state0.c = initial[1]![index];
          }
          const run = { native: runNativeDirection, fused: runFusedDirection, reference: runDirection }[this.kernel];
          const { outputs, state } = run(this.cell, this.cellWeights[layer][direction], layerInput, {
            mask,
            state0,
            reverse: direction === 1,
          });
          directionOutputs.push(outputs);
          finals.push(state);
        }
        layerInput = D === 1 ? directionOutputs[0] : (tf.concat(directionOutputs, 2) as tf.Tensor3D); // [B, T, H·D]
        if (layer < this.numLayers - 1) {
          const seed = dropoutSeed === undefined ? undefined : dropoutSeed + layer;
          layerInput = dropout(layerInput, this.dropout, { training, seed }); // [B, T, H·D]
        }
      }
      const states: RnnStates = { h: tf.stack(finals.map((s) => s.h)) as tf.Tensor3D }; // [L·D, B, H]
      if (stateNames.includes('c')) states.c = tf.stack(finals.map((s) => s.c!)) as tf.Tensor3D; // [L·D, B, H]
      return { outputs: layerInput, states };
    });
  }

  /** Load a PyTorch state_dict (plain nested arrays); a missing/extra key or wrong shape names the key. */
  loadTorchStateDict(dict: TorchStateDict): void {
    assignTorchStateDict(dict, this.namedWeights());
  }

  /** The weights as a PyTorch state_dict of plain nested arrays. */
  toTorchStateDict(): TorchStateDict {
    return torchStateDictOf(this.namedWeights());
  }

  /** Free the weights. The stack cannot be used afterwards. */
  dispose(): void {
    for (const v of this.trainableWeights) v.dispose();
    for (const t of this.constants) t.dispose();
  }

  /** A constant b_hh = 0 [G·H] in place of `initial` (freed), kept for dispose. */
  private zeroBias(initial: tf.Tensor): tf.Tensor1D {
    const zero = tf.zerosLike(initial) as tf.Tensor1D;
    initial.dispose();
    tf.keep(zero);
    this.constants.push(zero);
    return zero;
  }

  private namedWeights(): { name: string; variable: tf.Variable }[] {
    return this.weightNames.map((name, i) => ({ name, variable: this.trainableWeights[i] }));
  }

  private checkLengths(lengths: number[] | tf.Tensor1D, B: number, T: number): number[] {
    let values: number[];
    if (lengths instanceof tf.Tensor) {
      checkRank(lengths, 1, 'lengths', '[B]');
      values = Array.from(lengths.dataSync());
    } else if (Array.isArray(lengths)) {
      values = lengths;
    } else {
      throw new Error(`lengths: expected number[] or an int Tensor1D [B], got ${typeof lengths}`);
    }
    if (values.length !== B) throw new Error(`lengths: expected ${B} entries (batch size B of x), got ${values.length}`);
    values.forEach((len, b) => checkInt(len, 0, T, `lengths[${b}]`));
    return values;
  }

  private checkInitialStates(initialStates: RnnStates | undefined, B: number): void {
    if (initialStates === undefined) return;
    const { stateNames } = CELLS[this.cell.kind];
    const LD = this.numLayers * this.numDirections;
    if (initialStates.c !== undefined && !stateNames.includes('c')) {
      throw new Error(`initialStates.c: only an lstm carries a cell state, this stack is '${this.cell.kind}'`);
    }
    for (const name of stateNames) {
      const s = initialStates[name];
      const argName = `initialStates.${name}`;
      if (!(s instanceof tf.Tensor)) throw new Error(`${argName}: expected a tf.Tensor [L·D, B, H], got ${s}`);
      checkRank(s, 3, argName, '[L·D, B, H]');
      checkDim(s, 0, LD, argName, `layers·directions L·D = ${this.numLayers}·${this.numDirections}`);
      checkDim(s, 1, B, argName, 'batch size B of x');
      checkDim(s, 2, this.hiddenSize, argName, 'hiddenSize H');
    }
  }
}
