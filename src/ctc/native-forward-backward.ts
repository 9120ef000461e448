/**
 * The CTC forward-backward of one sample in WebAssembly (src/native/ctc.c): the block-floating
 * passes of scaled-forward-backward.ts, softmax included, in float64, statement for statement.
 * loss.ts calls it first and runs the TypeScript recursions where it returns null: the module is
 * unavailable (SORI_NATIVE=0, no WebAssembly), or flushed values could move p(l|x) by more than
 * the fast path certifies (then the log-space passes of alpha-beta.ts decide).
 *
 * One call lays out, from __heap_base (16-byte aligned blocks, sizes in float64 words):
 *   y [T·C] | α̂ [T·S] | β̂′, β̂′_(t−1) [S] | occupancy [C] | out [1] | z, grad [T·C] float32 |
 *   l′, skip [S] int32
 * growing the module's memory only when a larger sample than any before arrives; calls are
 * synchronous, so one region serves all.
 */
import { ctcKernel } from '../native/ctc.ts';

/** True where the WebAssembly forward-backward loads (SORI_NATIVE=0 turns it off). */
export function nativeCtcAvailable(): boolean {
  return ctcKernel() !== null;
}

/**
 * log p(l|x) of one sample, and with `grad` also scale · ∂(−log p)/∂z written into its rows.
 * Needs T ≥ 1 and a feasible alignment (T ≥ L + repeats).
 * @param scores z of the batch, rows of C classes; the sample's frame t is row firstRow + t.
 * @param extended l′ [S]; canSkip [S] from skipTransitions.
 * @param grad [rows, C] of the batch (rows firstRow … firstRow + T − 1 are written), or null.
 * @returns log p(l|x), or null where the caller must use the TypeScript passes.
 */
export function nativeForwardBackward(
  scores: ArrayLike<number>,
  firstRow: number,
  T: number,
  C: number,
  extended: Int32Array,
  canSkip: Uint8Array,
  grad: Float32Array | null,
  scale: number,
): number | null {
  const k = ctcKernel();
  if (!k) return null;
  const S = extended.length;
  let bytes = k.heapBase;
  const block = (n: number, size: 4 | 8): number => {
    const at = bytes;
    bytes += Math.ceil((n * size) / 16) * 16;
    return at;
  };
  const y = block(T * C, 8);
  const alphaHat = block(T * S, 8);
  const beta = block(S, 8);
  const before = block(S, 8);
  const occupancy = block(C, 8);
  const out = block(1, 8);
  const z = block(T * C, 4);
  const g = block(T * C, 4);
  const ext = block(S, 4);
  const skip = block(S, 4);
  const missing = bytes - k.memory.buffer.byteLength;
  if (missing > 0) k.memory.grow(Math.ceil(missing / 65536));
  const buffer = k.memory.buffer;
  const zView = new Float32Array(buffer, z, T * C);
  if (scores instanceof Float32Array) zView.set(scores.subarray(firstRow * C, (firstRow + T) * C));
  else for (let i = 0; i < T * C; i++) zView[i] = scores[firstRow * C + i];
  new Int32Array(buffer, ext, S).set(extended);
  new Int32Array(buffer, skip, S).set(canSkip);
  const status = k.ctc_sample(
    z, T, C, ext, skip, S, grad ? 1 : 0, scale, g, y, alphaHat, beta, before, occupancy, out,
  );
  if (status !== 0) return null;
  if (grad) grad.set(new Float32Array(buffer, g, T * C), firstRow * C);
  return new Float64Array(buffer, out, 1)[0];
}
