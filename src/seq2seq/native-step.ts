/**
 * The decoder step of model.ts (Seq2Seq.step, then log-softmax) on sori's native kernels, for
 * greedy and beam search: the same equations,
 *
 *   x = E_tgt[y_{u−1}];  s_u^(l) = cell(x^(l), s_{u−1}^(l)) for l = 1 … L (x^(l+1) = s_u^(l))
 *   e_t = s_uᵀ k_t,  α = softmax_t(e) over real steps,  c_u = Σ_t α_t h_t        ('luong-*')
 *   h̃_u = tanh(W_c [c_u ; s_u]) = tanh(W_c1 c_u + W_c2 s_u)                     ('none': h̃_u = s_u)
 *         (with more hypotheses than sources, beams: W_c1 c_u = Σ_t α_t (W_c1 h_t), W_c1 h_t made once)
 *   z_u = W_o h̃_u + b_o   (tied: E_tgt (W_p h̃_u) + b_o),   log p = log-softmax(z_u)
 *
 * with the weights (transposed and packed once per model and weight values), the encoder memory
 * (values, keys [M, T, H·D] and lengths; encoded by native-encode.ts) and the states in the module's
 * memory for the whole decode, so a step makes no tensor:
 * a few products (gemm_packed), the cell's gate kernel (rnn/bptt/native-loop.ts) and the
 * attention and log-softmax of src/native/decoder.h. Hypothesis rows n point at memory rows
 * source[n], so beams following rows never copy the memory. Bahdanau attention is not here
 * (nativeStepDecoder returns null and decode.ts uses the tensor path).
 */
import * as tf from '@tensorflow/tfjs';
import { nativeKernels, type NativeKernels } from '../native/kernels.ts';
import { nativeCell, type NativeCell } from '../rnn/bptt/native-cell.ts';
import { CELLS, cellSpec } from '../rnn/cell.ts';
import { readFloat32 } from '../backend/read.ts';
import type { Seq2Seq } from './model.ts';
import { nativeEncode } from './native-encode.ts';
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

/** Largest table E_tgt W_ihᵀ + b_ih [V, G·H] kept per model (16 MB); larger ones are computed row by row. */
const INPUT_TABLE_FLOATS = 1 << 22;

/**
 * One decode's encoder memory: values h_t, keys k_t (= h_t for 'luong-dot'), projected values
 * W_c1 h_t [M, T, H·D] and lengths [M].
 */
class DecodeMemory extends NativeBlock {
  constructor(
    k: NativeKernels,
    readonly p: { block: number; values: number; keys: number; projected: number; lengths: number },
    /** M sources of T steps */
    readonly M: number,
    readonly T: number,
  ) {
    super(k, p.block);
  }

  /** W_c1 h_t has been computed into `projected` (at the first step with more rows than sources). */
  isProjected = false;

  /** The packed weights this decode runs with (looked up once, at its start). */
  packed?: PackedWeights;
}

/** The state of N hypotheses: the decoder RNN state and which source row each one translates. */
export interface NativeDecoderState {
  /** N: hypothesis rows. */
  rows: number;
  /** source[n]: the memory row (source sentence) of hypothesis n [N] */
  source: number[];
  /** h [L, N, H·D], then c [L, N, H·D] (LSTM), in one block */
  rnn: NativeBlock;
  /** the encoder memory, shared by every state of one decode */
  shared: DecodeMemory;
}

/** A model's decoder weights in the module, transposed and packed, and the weight values they were made from. */
interface PackedWeights {
  k: NativeKernels;
  p: Record<string, number> & { block: number };
  layers: LayerWeights[];
  /** the dataId of every weight when packed (tf.Variable.assign replaces it) */
  versions: object[];
}

/**
 * Packed weights per model, made at its first decode and again after its weights change (training
 * assigns new values); the block is freed when the model is garbage-collected.
 */
const packedCache = new WeakMap<Seq2Seq, PackedWeights>();
const unreachableModel = new FinalizationRegistry<PackedWeights>((packed) => packed.k.heap.release(packed.p.block));

/**
 * The native StepDecoder of `model` and `start`, which encodes source ids into the module (the
 * encoder memory and the decoder's initial state); null where the native kernels do not run or
 * the model has Bahdanau attention.
 */
export function nativeStepDecoder(
  model: Seq2Seq,
): { decoder: StepDecoder<NativeDecoderState>; start(ids: Int32Array, lengths: readonly number[]): NativeDecoderState } | null {
  const k = nativeKernels();
  const { attention, numLayers: L, embeddingSize: E, targetVocabSize: V, cell: kind } = model.config;
  if (!k || attention === 'bahdanau') return null;
  const spec = cellSpec(kind, 'cell');
  const cell: NativeCell = nativeCell(spec);
  const H = model.decoderSize; // H·D
  const GH = CELLS[spec.kind].gates * H;
  const kH = cell.directGates * H;
  const gH = GH - kH;
  const hasCell = spec.kind === 'lstm';
  const tied = model.config.tiedEmbeddings === true;
  const tableRows = V * GH <= INPUT_TABLE_FLOATS; // look P^(1) up instead of computing it

  /** The decoder's weights → module memory, transposed and packed for gemm_packed. */
  const packWeights = (): PackedWeights => {
    const w = model.namedWeights();
    const sizes: Record<string, number> = {
      embedding: V * E,
      inputTable: tableRows ? V * GH : 0,
      outputT: k.packed_size(tied ? E : H, V),
      outputBias: V,
      generalT: attention === 'luong-general' ? k.packed_size(H, H) : 0,
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
    if (attention === 'luong-general') packT(w['attention.general.weight'], p.generalT); // W_a
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
    // P^(1) for every symbol: E_tgt W_ihᵀ + b_ih [V, G·H] (the same sums as row by row)
    if (tableRows) k.gemm_packed(V, GH, E, p.embedding, layers[0].weightIhT, layers[0].biasIh, p.inputTable, 0);
    return { k, p, layers, versions: Object.values(w).map((v) => v.dataId) };
  };

  /** The packed weights of the model as it is now. */
  const weights = (): PackedWeights => {
    const cached = packedCache.get(model);
    const versions = Object.values(model.namedWeights()).map((v) => v.dataId);
    if (cached && cached.versions.length === versions.length && cached.versions.every((id, i) => id === versions[i])) return cached;
    if (cached) {
      unreachableModel.unregister(cached);
      k.heap.release(cached.p.block);
    }
    const packed = packWeights();
    packedCache.set(model, packed);
    unreachableModel.register(model, packed, packed);
    return packed;
  };

  /**
   * out_t = W h_t for the real steps t < T_m of every source (rows of [M, T, H·D] at `values` and
   * `out`; W packed at `Wp`): one product over the Σ T_m real rows, gathered and scattered back.
   * Padded steps of `out` are left as they are (attention never reads them).
   */
  function realStepsProduct(M: number, T: number, lengths: ArrayLike<number>, values: number, Wp: number, out: number): void {
    let R = 0;
    for (let m = 0; m < M; m++) R += lengths[m];
    const g = k!.heap.layout({ x: R * H, y: R * H });
    const gathered = k!.f32(g.x, R * H);
    let r = 0;
    for (let m = 0; m < M; m++, r += lengths[m - 1]) gathered.set(k!.f32(values + 4 * m * T * H, lengths[m] * H), r * H);
    k!.gemm_packed(R, H, H, g.x, Wp, 0, g.y, 0);
    const product = k!.f32(g.y, R * H);
    r = 0;
    for (let m = 0; m < M; m++, r += lengths[m - 1]) k!.f32(out + 4 * m * T * H, lengths[m] * H).set(product.subarray(r * H, (r + lengths[m]) * H));
    k!.heap.release(g.block);
  }

  /** Source ids [M, T] (int32, padded) with lengths T_m → the first state (model.encode's, in the module). */
  function start(ids: Int32Array, lengths: readonly number[]): NativeDecoderState {
    const M = lengths.length;
    const T = ids.length / M;
    const packed = weights();
    const { p: w } = packed;
    const { values, h0, c0 } = nativeEncode(model, ids, lengths);
    const p = k!.heap.layout({
      values: M * T * H,
      keys: attention === 'luong-general' ? M * T * H : 0,
      projected: attention === 'none' ? 0 : M * T * H,
      lengths: M,
    });
    k!.f32(p.values, M * T * H).set(values); // h_1 … h_T [M, T, H·D]
    if (attention === 'luong-general') realStepsProduct(M, T, lengths, p.values, w.generalT, p.keys); // k_t = W_a h_t [M, T, H·D]
    k!.i32(p.lengths, M).set(lengths);
    const shared = new DecodeMemory(k!, { ...p, keys: attention === 'luong-general' ? p.keys : p.values }, M, T);
    shared.packed = packed;
    const rnn = new NativeBlock(k!, k!.heap.alloc(4 * (hasCell ? 2 : 1) * L * M * H));
    k!.f32(rnn.address, L * M * H).set(h0);
    if (c0) k!.f32(rnn.address + 4 * L * M * H, L * M * H).set(c0);
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

  let logPBuffer = new Float32Array(0);

  function stepArrays(yPrev: readonly number[], state: NativeDecoderState, { top: want }: { top?: number } = {}): StepArrays<NativeDecoderState> {
    const N = state.rows;
    const m = want ? Math.min(want, V) : 0; // the best m entries per row, found in the module
    if (yPrev.length !== N) throw new Error(`yPrev: expected ${N} ids (one per hypothesis row), got ${yPrev.length}`);
    const { T, p: memory } = state.shared;
    const { p, layers } = state.shared.packed ?? weights();
    const s = k!.heap.layout({
      ids: N,
      source: N,
      x: N * E,
      P: N * GH,
      A: N * kH,
      u: N * gH,
      out: N * cell.blocks * H,
      alpha: N * T,
      context: N * H,
      hTilde: N * H,
      projected: tied ? N * E : 0,
      z: N * V,
      topIndex: N * m,
      topValue: N * m,
    });
    const rnn = new NativeBlock(k!, k!.heap.alloc(4 * (hasCell ? 2 : 1) * L * N * H));
    k!.i32(s.ids, N).set(yPrev);
    k!.i32(s.source, N).set(state.source);
    if (!tableRows) k!.gather_rows(N, E, p.embedding, s.ids, s.x); // x = E_tgt[y] [N, E]
    let x = s.x;
    for (let l = 0; l < L; l++) {
      const layer = layers[l];
      const hPrev = state.rnn.address + 4 * l * N * H; // s_{u−1}^(l) [N, H]
      const cPrev = state.rnn.address + 4 * (L + l) * N * H;
      if (l === 0 && tableRows) k!.gather_rows(N, GH, p.inputTable, s.ids, s.P); // P = E_tgt[y] W_ihᵀ + b_ih, looked up
      else k!.gemm_packed(N, GH, layer.inputSize, x, layer.weightIhT, layer.biasIh, s.P, 0); // P = x W_ihᵀ + b_ih [N, G·H]
      k!.gemm_packed(N, kH, H, hPrev, layer.UDirectT, layer.biasHh, s.A, 0); // a = s U_directᵀ + b [N, k·H]
      cell.forward(k!, N, H, { P: s.P, A: s.A, hPrev, cPrev, out: s.out, UGatedT: layer.UGatedT, biasGated: layer.biasHh + 4 * kH, u: s.u });
      const h = rnn.address + 4 * l * N * H;
      k!.f32(h, N * H).set(k!.f32(s.out + 4 * cell.hBlock * N * H, N * H)); // s_u^(l)
      if (hasCell) k!.f32(rnn.address + 4 * (L + l) * N * H, N * H).set(k!.f32(s.out + 4 * cell.cBlock! * N * H, N * H));
      x = h;
    }
    let top = x; // s_u [N, H]
    if (attention !== 'none') {
      const { M } = state.shared;
      if (N > M && !state.shared.isProjected) {
        realStepsProduct(M, T, k!.i32(memory.lengths, M).slice(), memory.values, p.combine1T, memory.projected); // W_c1 h_t [M, T, H·D]
        state.shared.isProjected = true;
      }
      if (state.shared.isProjected) {
        // α [N, T] and W_c1 c_u = Σ_t α_t (W_c1 h_t) [N, H]
        k!.luong_attend(N, T, H, H, top, H, s.source, memory.lengths, memory.keys, memory.projected, s.alpha, s.hTilde);
      } else {
        k!.luong_attend(N, T, H, H, top, H, s.source, memory.lengths, memory.keys, memory.values, s.alpha, s.context); // α [N, T], c_u [N, H]
        k!.gemm_packed(N, H, H, s.context, p.combine1T, 0, s.hTilde, 0); // W_c1 c_u
      }
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
    const alpha = k!.f32(s.alpha, N * T).slice();
    const next = { rows: N, source: state.source, rnn, shared: state.shared };
    if (m) {
      // only the best entries leave the module (search.ts's topOfRows on log p, without copying it)
      k!.top_k_rows(N, V, s.z, m, s.topIndex, s.topValue);
      const top = { index: k!.i32(s.topIndex, N * m).slice(), value: k!.f32(s.topValue, N * m).slice() };
      k!.heap.release(s.block);
      return { logP: new Float32Array(0), top, alpha, V, T, state: next };
    }
    if (logPBuffer.length < N * V) logPBuffer = new Float32Array(N * V);
    const logP = logPBuffer.subarray(0, N * V); // reused: valid until the next step (StepArrays)
    logP.set(k!.f32(s.z, N * V));
    k!.heap.release(s.block);
    return { logP, alpha, V, T, state: next };
  }

  const decoder: StepDecoder<NativeDecoderState> = {
    // As tensors: the logits are log p itself (softmax(log p) = p).
    step: (yPrev, state) => {
      const { logP, alpha, V: v, T, state: next } = stepArrays(Array.from(yPrev.dataSync()), state);
      return { logits: tf.tensor2d(logP.slice(), [state.rows, v]), alpha: tf.tensor2d(alpha, [state.rows, T]), state: next }; // a copy: logP is reused
    },
    stepArrays,
    selectRows: gather,
    followBeams: gather,
    stateTensors: (state) => [state.rnn, state.shared],
  };
  return { decoder, start };
}
