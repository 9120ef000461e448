/**
 * Seq2Seq.encode (model.ts) for decoding on the native kernels, without tensors: the same
 * equations on plain arrays, every direction of every layer one call of the RNN's native loop
 * (rnn/bptt/native-loop.ts, the kernel RnnStack runs by default):
 *
 *   x^(1) = E_src[x_1] … E_src[x_T];   y^(l) = [RNN→^(l)(x^(l)) ; RNN←^(l)(x^(l))],  x^(l+1) = y^(l)
 *   values h_t = y_t^(L) [M, T, H·D];  s_0^(l) = [h→_T^(l) ; h←_1^(l)] [L, M, H·D]
 *
 * with the source padding handled as RnnStack does (padded steps keep the state, output 0; the
 * backward direction starts at each row's last real step). Inference only (no dropout).
 */
import { nativeCell } from '../rnn/bptt/native-cell.ts';
import { nativeLoop } from '../rnn/bptt/native-loop.ts';
import { CELLS, cellSpec } from '../rnn/cell.ts';
import { readFloat32 } from '../backend/read.ts';
import type { Seq2Seq } from './model.ts';

/** The encoder's outputs and the decoder's initial state, as arrays. */
export interface NativeEncoding {
  /** h_1 … h_T: [M, T, H·D] (0 at padded steps) */
  values: Float32Array;
  /** s_0: h [L, M, H·D], c [L, M, H·D] (LSTM) */
  h0: Float32Array;
  c0?: Float32Array;
}

/** Source ids [M, T] (int32, row-major, padded) with lengths T_m → NativeEncoding. */
export function nativeEncode(model: Seq2Seq, ids: Int32Array, lengths: readonly number[]): NativeEncoding {
  const { embeddingSize: E, hiddenSize: H, numLayers: L, bidirectional } = model.config;
  const spec = cellSpec(model.config.cell, 'cell');
  const hasCell = spec.kind === 'lstm';
  const D = bidirectional ? 2 : 1;
  const M = lengths.length;
  const T = ids.length / M;
  const GH = CELLS[spec.kind].gates * H;
  const kH = nativeCell(spec).directGates * H; // rows of weight_hh acting on h_{t−1} directly
  const w = model.namedWeights();
  const table = readFloat32(w['encoder.embedding.weight']); // [V_src, E]
  const maskValues = new Float32Array(T * M); // time-major [T·M]
  for (let t = 0; t < T; t++) for (let m = 0; m < M; m++) maskValues[t * M + m] = t < lengths[m] ? 1 : 0;
  const everyRealAt = (t: number) => lengths.every((len) => t < len);
  let x = new Float32Array(T * M * E); // x^(1) time-major [T·M, E], 0 at padded steps
  for (let t = 0; t < T; t++) {
    for (let m = 0; m < M; m++) if (t < lengths[m]) x.set(table.subarray(ids[m * T + t] * E, (ids[m * T + t] + 1) * E), (t * M + m) * E);
  }
  const h0 = new Float32Array(L * M * D * H);
  const c0 = hasCell ? new Float32Array(L * M * D * H) : undefined;
  const zeros = new Float32Array(M * H);
  for (let l = 0; l < L; l++) {
    const F = l === 0 ? E : D * H;
    const y = new Float32Array(T * M * D * H); // y^(l) time-major [T·M, D·H]
    for (let d = 0; d < D; d++) {
      const name = (p: string) => `encoder.rnn.${p}_l${l}${d === 1 ? '_reverse' : ''}`;
      const order = Array.from({ length: T }, (_, k) => (d === 1 ? T - 1 - k : k));
      const biasHh = w[name('bias_hh')];
      const { value } = nativeLoop(
        { spec, B: M, T, F, H, GH, kH, order, maskValues, everyReal: order.map(everyRealAt) },
        {
          x,
          weightIh: readFloat32(w[name('weight_ih')]),
          weightHh: readFloat32(w[name('weight_hh')]),
          biasIh: readFloat32(w[name('bias_ih')]),
          biasHh: biasHh ? readFloat32(biasHh) : new Float32Array(GH),
          h0: zeros,
          c0: hasCell ? zeros : undefined,
        },
        false,
      ); // [y_1 … y_T ; h_n ; c_n] time-major [(T + S)·M, H]
      for (let r = 0; r < T * M; r++) y.set(value.subarray(r * H, (r + 1) * H), (r * D + d) * H);
      for (let m = 0; m < M; m++) {
        const at = (l * M + m) * D * H + d * H; // s_0^(l) = [h→ ; h←]
        h0.set(value.subarray((T * M + m) * H, (T * M + m + 1) * H), at);
        if (c0) c0.set(value.subarray(((T + 1) * M + m) * H, ((T + 1) * M + m + 1) * H), at);
      }
    }
    x = y;
  }
  const values = new Float32Array(M * T * D * H); // [M, T, H·D]
  for (let t = 0; t < T; t++) for (let m = 0; m < M; m++) values.set(x.subarray((t * M + m) * D * H, (t * M + m + 1) * D * H), (m * T + t) * D * H);
  return { values, h0, c0 };
}
