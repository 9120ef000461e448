/**
 * Argument checks for public entry points. Each error names the argument and the value found,
 * so that a shape documented as [B, T, F] cannot silently drift.
 */
import type * as tf from '@tensorflow/tfjs';

/** Throw unless `x` has the given rank; `dims` names the axes, e.g. '[B, T, F]'. */
export function checkRank(x: tf.Tensor, rank: number, name: string, dims: string): void {
  if (x.rank !== rank) {
    throw new Error(`${name}: expected rank ${rank} ${dims}, got shape [${x.shape.join(', ')}]`);
  }
}

/** Throw unless axis `axis` of `x` equals `size`; `what` says what the size must match. */
export function checkDim(x: tf.Tensor, axis: number, size: number, name: string, what: string): void {
  if (x.shape[axis] !== size) {
    throw new Error(
      `${name}: axis ${axis} must be ${size} (${what}), got shape [${x.shape.join(', ')}]`,
    );
  }
}

/** Throw unless `v` is an integer in [lo, hi]. */
export function checkInt(v: number, lo: number, hi: number, name: string): void {
  if (!Number.isInteger(v) || v < lo || v > hi) {
    throw new Error(`${name}: expected an integer in [${lo}, ${hi}], got ${v}`);
  }
}

/** Throw unless every key of `given` is one of `known` (option objects accept nothing silently). */
export function checkKeys(given: object, known: readonly string[], name: string): void {
  for (const key of Object.keys(given)) {
    if (!known.includes(key)) {
      throw new Error(`${name}: unknown option '${key}' (known: ${known.join(', ')})`);
    }
  }
}

/** The widest beam searched (time and memory grow with it: 10⁶ took minutes and gigabytes). */
export const MAX_BEAM = 1024;

/**
 * Throw unless `beam` is a beam width: an integer ≥ 1, where 1 is greedy search (the same in every
 * command and function). 0 meant greedy in `sori transcribe` before sori 0.2: the message says so.
 */
export function checkBeam(beam: number, name: string): void {
  if (beam === 0) throw new Error(`${name}: 0 is no longer greedy search: use ${name.startsWith('-') ? '--beam' : name} 1 (1 is greedy everywhere)`);
  if (!Number.isInteger(beam) || beam < 1 || beam > MAX_BEAM) {
    throw new Error(`${name}: expected an integer in [1, ${MAX_BEAM}] (1: greedy search), got ${beam}`);
  }
}
