/**
 * The cell kinds and a registry that maps each kind to its number of gate blocks, the names of
 * its state tensors and its step function. Everything above the cells (runDirection, RnnStack)
 * goes through this registry, so a new cell kind is one file plus one entry here.
 */
import * as tf from '@tensorflow/tfjs';
import { affine, type CellWeights } from './weights.ts';
import { SIMPLE_GATES, simpleRecurrence, type SimpleNonlinearity } from './simple.ts';
import { LSTM_GATES, lstmRecurrence } from './lstm.ts';
import { GRU_GATES, gruRecurrence, type GruForm } from './gru.ts';
import { MGU_GATES, mguRecurrence } from './mgu.ts';

export const CELL_KINDS = ['simple', 'lstm', 'gru', 'mgu'] as const;
export type CellKind = (typeof CELL_KINDS)[number];

/** A cell kind together with the options that belong to it. */
export type CellSpec =
  | { kind: 'simple'; nonlinearity: SimpleNonlinearity }
  | { kind: 'lstm' }
  | { kind: 'gru'; form: GruForm }
  | { kind: 'mgu' };

/** The state carried between steps: h [B, H] for every cell, plus c [B, H] (cell state) for LSTM. */
export type CellState = {
  h: tf.Tensor2D;
  c?: tf.Tensor2D;
};
export type StateName = 'h' | 'c';

/**
 * One time step for fixed weights, given the input term already computed for all steps at once:
 * `inputProjection` = W x_t + b_ih [B, G·H], state at t−1 → state at t.
 */
export type Recurrence = (inputProjection: tf.Tensor2D, state: CellState) => CellState;

export interface CellDefinition {
  /** G: gate blocks stacked in weight_ih [G·H, F]. */
  gates: number;
  /** State tensors carried over time, in PyTorch's order (h_n, c_n). */
  stateNames: readonly StateName[];
  /**
   * The step function of a cell of this kind configured by `spec`, with `weights` bound (any
   * per-gate split of the weights happens here, once, outside the loop over time).
   */
  recurrence(spec: CellSpec, weights: CellWeights): Recurrence;
}

export const CELLS: Record<CellKind, CellDefinition> = {
  simple: {
    gates: SIMPLE_GATES,
    stateNames: ['h'],
    recurrence: (spec, weights) => simpleRecurrence(weights, spec.kind === 'simple' ? spec.nonlinearity : 'tanh'),
  },
  lstm: {
    gates: LSTM_GATES,
    stateNames: ['h', 'c'],
    recurrence: (_, weights) => {
      const step = lstmRecurrence(weights);
      return (inputProjection, { h, c }) => step(inputProjection, { h, c: c! });
    },
  },
  gru: {
    gates: GRU_GATES,
    stateNames: ['h'],
    recurrence: (spec, weights) => gruRecurrence(weights, spec.kind === 'gru' ? spec.form : 'reset-after'),
  },
  mgu: {
    gates: MGU_GATES,
    stateNames: ['h'],
    recurrence: (_, weights) => mguRecurrence(weights),
  },
};

/**
 * Normalise a cell given as a kind ('gru') or a full spec; a bare kind takes the defaults
 * (SimpleRNN tanh, GRU reset-after). Throws naming `name` for an unknown kind.
 */
export function cellSpec(cell: CellKind | CellSpec, name = 'cell'): CellSpec {
  const kind = typeof cell === 'string' ? cell : cell?.kind;
  if (!(CELL_KINDS as readonly string[]).includes(kind)) {
    throw new Error(`${name}: unknown cell kind '${String(kind)}' (expected one of ${CELL_KINDS.join(', ')})`);
  }
  if (typeof cell !== 'string') return cell;
  if (cell === 'simple') return { kind: 'simple', nonlinearity: 'tanh' };
  if (cell === 'gru') return { kind: 'gru', form: 'reset-after' };
  return { kind: cell };
}

/** One step of any cell kind on raw input: x_t [B, F], state at t−1 → state at t. */
export function cellStep(cell: CellKind | CellSpec, weights: CellWeights, x: tf.Tensor2D, state: CellState): CellState {
  const spec = cellSpec(cell);
  return tf.tidy(() => CELLS[spec.kind].recurrence(spec, weights)(affine(x, weights.weightIh, weights.biasIh), state));
}
