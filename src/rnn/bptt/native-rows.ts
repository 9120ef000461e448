/**
 * The descriptor of loop.h (src/native): the time loop of one direction run inside the kernels
 * module on slices of the batch rows, one slice per thread where threads are on. native-loop.ts
 * fills it; its field names are loop.h's L_* constants, in the same order.
 */
import type { CellSpec } from '../cell.ts';
import type { NativeKernels } from '../../native/kernels.ts';

const FIELDS = [
  'kind', 'relu', 'B', 'H', 'T', 'reverse', 'P', 'UDirectT', 'biasHh', 'UGatedT', 'h0', 'c0', 'out', 'hPrevs',
  'mask', 'blend', 'Y', 'A', 'u', 'hLast', 'cLast',
  'dy', 'dh', 'dc', 'dhNew', 'dcNew', 'dP', 'dA', 'dG', 'gatedInputs', 'UDirect', 'UGated', 'scratch',
  'outRing',
] as const;

/** Int32 of a descriptor. */
export const LOOP_FIELDS = FIELDS.length;

/** The descriptor's values: sizes and byte addresses (0: absent). */
export type LoopDescriptor = Partial<Record<(typeof FIELDS)[number], number>>;

/** loop.h's cell kind: 0 simple, 1 LSTM, 2 GRU reset-after, 3 lecture GRU, 4 MGU. */
function kindOf(spec: CellSpec): number {
  switch (spec.kind) {
    case 'simple':
      return 0;
    case 'lstm':
      return 1;
    case 'gru':
      return spec.form === 'reset-after' ? 2 : 3;
    case 'mgu':
      return 4;
  }
}

/** Write the descriptor of a loop over `spec` at byte address `at` (LOOP_FIELDS int32). */
export function writeLoopDescriptor(k: NativeKernels, at: number, spec: CellSpec, fields: LoopDescriptor): void {
  const all: LoopDescriptor = { ...fields, kind: kindOf(spec), relu: spec.kind === 'simple' && spec.nonlinearity === 'relu' ? 1 : 0 };
  k.i32(at, LOOP_FIELDS).set(FIELDS.map((name) => all[name] ?? 0));
}

/**
 * Which driver runs the time loop: 'c' (loop.h, by slices of rows) unless SORI_NATIVE_LOOP=js
 * asks for the JavaScript loop of native-loop.ts (the readable reference; for measuring).
 */
export const nativeLoopDriver = (): 'c' | 'js' => (typeof process !== 'undefined' && process.env?.SORI_NATIVE_LOOP === 'js' ? 'js' : 'c');
