/**
 * The decoder step of model.ts (Seq2Seq.step, then log-softmax) on sori's native kernels, for
 * greedy and beam search: the same equations,
 *
 *   x = E_tgt[y_{u−1}];  s_u^(l) = cell(x^(l), s_{u−1}^(l)) for l = 1 … L (x^(l+1) = s_u^(l))
 *   e_t = s_uᵀ k_t,  α = softmax_t(e) over real steps,  c_u = Σ_t α_t h_t        ('luong-*')
 *   h̃_u = tanh(W_c [c_u ; s_u]) = tanh(W_c1 c_u + W_c2 s_u)                     ('none': h̃_u = s_u)
 *   z_u = W_o h̃_u + b_o   (tied: E_tgt (W_p h̃_u) + b_o),   log p = log-softmax(z_u)
 *
 * with the weights (transposed and packed once), the encoder memory (values, keys [M, T, H·D],
 * lengths) and the states in the module's memory for the whole decode, so a step makes no tensor:
 * a few products (gemm_packed), the cell's gate kernel (rnn/bptt/native-loop.ts) and the
 * attention and log-softmax of src/native/decoder.h. Hypothesis rows n point at memory rows
 * source[n], so beams following rows never copy the memory. Bahdanau attention is not here
 * (nativeStepDecoder returns null and decode.ts uses the tensor path).
 */
import * as tf from '@tensorflow/tfjs';
import { nativeKernels, type NativeKernels } from '../native/kernels.ts';
import { nativeCell, type NativeCell } from '../rnn/bptt/native-loop.ts';
import { cellSpec } from '../rnn/cell.ts';
import { readFloat32 } from '../backend/read.ts';
import type { DecoderState, Seq2Seq } from './model.ts';
import type { Freeable, StepArrays, StepDecoder } from './search.ts';

/** A block of the module's memory that a decoder state holds (freed like a tensor by the search). */
class NativeBlock implements Freeable {
  isDisposed = false;
  constructor(
    private readonly k: NativeKernels,
    readonly address: number,
  ) {}

  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    this.k.heap.release(this.address);
  }
}

/** Byte addresses of one layer's packed weights. */
interface LayerWeights {
  /** W_ihᵀ [F, G·H] packed, b_ih [G·H], U_directᵀ [H, k·H] packed, U_gatedᵀ [H, (G−k)·H] packed, b_hh [G·H] */
  weightIhT: number;
  biasIh: number;
  UDirectT: number;
  UGatedT: number;
  biasHh: number;
  inputSize: number;
}

/** One decode's weights and encoder memory (values, keys [M, T, H·D], lengths [M]) in one block. */
class DecodeMemory extends NativeBlock {
  constructor(
    k: NativeKernels,
    readonly p: Record<string, number> & { block: number },
    readonly layers: LayerWeights[],
    /** T: source steps; keys: the address of the keys (the values for 'luong-dot') */
    readonly T: number,
    readonly keys: number,
  ) {
    super(k, p.block);
  }
}

/** The state of N hypotheses: the decoder RNN state and which source row each one translates. */
export interface NativeDecoderState {
  /** N: hypothesis rows. */
  rows: number;
  /** source[n]: the memory row (source sentence) of hypothesis n [N] */
  source: number[];
  /** h [L, N, H·D], then c [L, N, H·D] (LSTM), in one block */
  rnn: NativeBlock;
  /** the weights and encoder memory, shared by every state of one decode */
  shared: DecodeMemory;
}

/**
 * The native StepDecoder of `model` and `start`, which copies an encoded batch (model.encode) into
 * the module; null where the native kernels do not run or the model has Bahdanau attention.
 */
export function nativeStepDecoder(model: Seq2Seq): { decoder: StepDecoder<NativeDecoderState>; start(state: DecoderState): NativeDecoderState } | null {
  const k = nativeKernels();
  const { attention, numLayers: L, embeddingSize: E, targetVocabSize: V, cell: kind } = model.config;
  if (!k || attention === 'bahdanau') return null;
  const spec = cellSpec(kind, 'cell');
  const cell: NativeCell = nativeCell(spec);
  const H = model.decoderSize; // H·D
  const GH = (spec.kind === 'lstm' ? 4 : spec.kind === 'gru' ? 3 : spec.kind === 'mgu' ? 2 : 1) * H;
  const kH = cell.directGates * H;
  const gH = GH - kH;
  const hasCell = spec.kind === 'lstm';
  const tied = model.config.tiedEmbeddings === true;
  const w = model.namedWeights();

  /** Weights and the memory of M sources of T steps → module memory, weights transposed and packed. */
  const loadWeights = (M: number, T: number): DecodeMemory => {
    const sizes: Record<string, number> = {
      values: M * T * H,
      keys: attention === 'luong-general' ? M * T * H : 0,
      lengths: M,
      embedding: V * E,
      outputT: k.packed_size(tied ? E : H, V),
      outputBias: V,
      combine1T: attention === 'none' ? 0 : k.packed_size(H, H),
      combine2T: attention === 'none' ? 0 : k.packed_size(H, H),
      projectionT: tied ? k.packed_size(H, E) : 0,
      scratch: Math.max(V * Math.max(E, H), 2 * H * H, GH * Math.max(E, H)),
    };
    for (let l = 0; l < L; l++) {
      const F = l === 0 ? E : H;
      Object.assign(sizes, {
        [`weightIhT${l}`]: k.packed_size(F, GH),
        [`biasIh${l}`]: GH,
        [`UDirectT${l}`]: k.packed_size(H, kH),
        [`UGatedT${l}`]: gH ? k.packed_size(H, gH) : 0,
        [`biasHh${l}`]: GH,
      });
    }
    const p = k.heap.layout(sizes);
    const put = (at: number, t: tf.Tensor) => k.f32(at, t.size).set(readFloat32(t));
    /** weight [O, I] (rows from `row0`, `rows` of them; columns from `col0`, `cols`) → packed Wᵀ [cols, rows] */
    const packT = (t: tf.Tensor, at: number, { row0 = 0, rows = t.shape[0]!, col0 = 0, cols = t.shape[1]! } = {}) => {
      const I = t.shape[1]!;
      const values = readFloat32(t);
      const transposed = k.f32(p.scratch, rows * cols);
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) transposed[c * rows + r] = values[(row0 + r) * I + col0 + c];
      k.pack(cols, rows, p.scratch, at);
    };
    put(p.embedding, w['decoder.embedding.weight']);
    put(p.outputBias, w['decoder.output.bias']);
    packT(tied ? w['decoder.embedding.weight'] : w['decoder.output.weight'], p.outputT);
    if (tied) packT(w['decoder.tied_projection.weight'], p.projectionT);
    if (attention !== 'none') {
      packT(w['decoder.combine.weight'], p.combine1T, { cols: H }); // W_c1: the columns acting on c_u
      packT(w['decoder.combine.weight'], p.combine2T, { col0: H, cols: H }); // W_c2: on s_u
    }
    const layers: LayerWeights[] = [];
    for (let l = 0; l < L; l++) {
      packT(w[`decoder.rnn.weight_ih_l${l}`], p[`weightIhT${l}`]);
      put(p[`biasIh${l}`], w[`decoder.rnn.bias_ih_l${l}`]);
      const weightHh = w[`decoder.rnn.weight_hh_l${l}`];
      packT(weightHh, p[`UDirectT${l}`], { rows: kH });
      if (gH) packT(weightHh, p[`UGatedT${l}`], { row0: kH, rows: gH });
      const biasHh = w[`decoder.rnn.bias_hh_l${l}`];
      if (biasHh) put(p[`biasHh${l}`], biasHh);
      else k.f32(p[`biasHh${l}`], GH).fill(0);
      layers.push({ weightIhT: p[`weightIhT${l}`], biasIh: p[`biasIh${l}`], UDirectT: p[`UDirectT${l}`], UGatedT: p[`UGatedT${l}`], biasHh: p[`biasHh${l}`], inputSize: l === 0 ? E : H });
    }
    return new DecodeMemory(k, p, layers, T, attention === 'luong-general' ? p.keys : p.values);
  };

  function start(state: DecoderState): NativeDecoderState {
    const [M, T] = state.memory.mask.shape;
    const shared = loadWeights(M, T);
    const { p } = shared;
    k!.f32(p.values, M * T * H).set(readFloat32(state.memory.values)); // h_1 … h_T [M, T, H·D]
    if (attention === 'luong-general') k!.f32(p.keys, M * T * H).set(readFloat32(state.memory.keys!)); // W_a h_t
    const mask = readFloat32(state.memory.mask); // [M, T]
    const lengths = k!.i32(p.lengths, M);
    for (let m = 0; m < M; m++) {
      let n = 0;
      for (let t = 0; t < T; t++) n += mask[m * T + t];
      lengths[m] = n; // T_m
    }
    const rnn = new NativeBlock(k!, k!.heap.alloc(4 * (hasCell ? 2 : 1) * L * M * H));
    k!.f32(rnn.address, L * M * H).set(readFloat32(state.rnn.h));
    if (hasCell) k!.f32(rnn.address + 4 * L * M * H, L * M * H).set(readFloat32(state.rnn.c!));
    return { rows: M, source: Array.from({ length: M }, (_, m) => m), rnn, shared };
  }

  /** The state with rows `rows` of `state` (h, c and source index gathered). */
  function gather(state: NativeDecoderState, rows: readonly number[]): NativeDecoderState {
    const N = rows.length;
    const n0 = state.rows;
    const ids = k!.heap.alloc(4 * N);
    k!.i32(ids, N).set(rows);
    const rnn = new NativeBlock(k!, k!.heap.alloc(4 * (hasCell ? 2 : 1) * L * N * H));
    for (let s = 0; s < (hasCell ? 2 : 1) * L; s++) k!.gather_rows(N, H, state.rnn.address + 4 * s * n0 * H, ids, rnn.address + 4 * s * N * H);
    k!.heap.release(ids);
    return { rows: N, source: rows.map((r) => state.source[r]), rnn, shared: state.shared };
  }

  function stepArrays(yPrev: readonly number[], state: NativeDecoderState): StepArrays<NativeDecoderState> {
    const N = state.rows;
    if (yPrev.length !== N) throw new Error(`yPrev: expected ${N} ids (one per hypothesis row), got ${yPrev.length}`);
    const { T, keys, layers, p } = state.shared;
    const s = k!.heap.layout({
      ids: N,
      source: N,
      x: N * E,
      P: N * GH,
      A: N * kH,
      u: N * gH,
      out: N * cell.blocks * H,
      context: N * H,
      alpha: N * T,
      hTilde: N * H,
      projected: tied ? N * E : 0,
      z: N * V,
    });
    const rnn = new NativeBlock(k!, k!.heap.alloc(4 * (hasCell ? 2 : 1) * L * N * H));
    k!.i32(s.ids, N).set(yPrev);
    k!.i32(s.source, N).set(state.source);
    k!.gather_rows(N, E, p.embedding, s.ids, s.x); // x = E_tgt[y] [N, E]
    let x = s.x;
    for (let l = 0; l < L; l++) {
      const layer = layers[l];
      const hPrev = state.rnn.address + 4 * l * N * H; // s_{u−1}^(l) [N, H]
      const cPrev = state.rnn.address + 4 * (L + l) * N * H;
      k!.gemm_packed(N, GH, layer.inputSize, x, layer.weightIhT, layer.biasIh, s.P, 0); // P = x W_ihᵀ + b_ih [N, G·H]
      k!.gemm_packed(N, kH, H, hPrev, layer.UDirectT, layer.biasHh, s.A, 0); // a = s U_directᵀ + b [N, k·H]
      cell.forward(k!, N, H, { P: s.P, A: s.A, hPrev, cPrev, out: s.out, UGatedT: layer.UGatedT, biasGated: layer.biasHh + 4 * kH, u: s.u });
      const h = rnn.address + 4 * l * N * H;
      k!.f32(h, N * H).set(k!.f32(s.out + 4 * cell.hBlock * N * H, N * H)); // s_u^(l)
      if (hasCell) k!.f32(rnn.address + 4 * (L + l) * N * H, N * H).set(k!.f32(s.out + 4 * cell.cBlock! * N * H, N * H));
      x = h;
    }
    let top = x; // s_u [N, H]
    if (attention !== 'none') {
      k!.luong_attend(N, T, H, top, H, s.source, p.lengths, keys, p.values, s.alpha, s.context); // α [N, T], c_u [N, H]
      k!.gemm_packed(N, H, H, s.context, p.combine1T, 0, s.hTilde, 0); // W_c1 c_u
      k!.gemm_packed(N, H, H, top, p.combine2T, 0, s.hTilde, 1); // + W_c2 s_u
      k!.tanh_inplace(N * H, s.hTilde); // h̃_u [N, H]
      top = s.hTilde;
    } else k!.f32(s.alpha, N * T).fill(0);
    if (tied) {
      k!.gemm_packed(N, E, H, top, p.projectionT, 0, s.projected, 0); // W_p h̃ [N, E]
      top = s.projected;
    }
    k!.gemm_packed(N, V, tied ? E : H, top, p.outputT, p.outputBias, s.z, 0); // z [N, V]
    k!.log_softmax_rows(N, V, s.z);
    const logP = k!.f32(s.z, N * V).slice();
    const alpha = k!.f32(s.alpha, N * T).slice();
    k!.heap.release(s.block);
    return { logP, alpha, V, T, state: { rows: N, source: state.source, rnn, shared: state.shared } };
  }

  const decoder: StepDecoder<NativeDecoderState> = {
    // As tensors: the logits are log p itself (softmax(log p) = p).
    step: (yPrev, state) => {
      const { logP, alpha, V: v, T, state: next } = stepArrays(Array.from(yPrev.dataSync()), state);
      return { logits: tf.tensor2d(logP, [state.rows, v]), alpha: tf.tensor2d(alpha, [state.rows, T]), state: next };
    },
    stepArrays,
    selectRows: gather,
    followBeams: gather,
    stateTensors: (state) => [state.rnn, state.shared],
  };
  return { decoder, start };
}
