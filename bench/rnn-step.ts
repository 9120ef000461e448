/**
 * Where the time of one recurrent step goes (LSTM, B 32, H 128): the two pieces every step of
 * the loop over time runs, each on the implementations sori has and on PyTorch, per call:
 *   recurrent product   a = h Uᵀ + b, [32, 128] × [128, 512]
 *     tfjs wasm        tf.fused.matMul on the wasm backend and reading the result back (what
 *                      kernel 'fused' does per step)
 *     sori native      gemm_packed of src/native (what kernel 'native' does per step)
 *   LSTM gates          i, f, g, o, C_t, h_t from the projections, B·H = 4096 cells
 *     JavaScript       lstmFusedStep.forward's loops (kernel 'fused')
 *     sori native      lstm_forward of src/native (SIMD exp)
 *   pytorch            torch.addmm / the gate ops of nn.LSTM's step, N threads
 */
import * as tf from '@tensorflow/tfjs';
import { nativeKernels } from '../src/native/kernels.ts';
import { lstmFusedStep } from '../src/rnn/bptt/lstm-step.ts';
import { readFloat32 } from '../src/backend/read.ts';
import type { Recurrent } from '../src/rnn/bptt/step.ts';
import { runTorch, timeMedian, torchNote, type BenchRow } from './util.ts';

const B = 32;
const H = 128;
const CALLS = 200; // calls per timed repetition; rows report one call

const TORCH_SCRIPT = String.raw`
import json, sys, time, statistics, torch
args = json.load(sys.stdin)
B, H, calls = args['B'], args['H'], args['calls']
h = torch.randn(B, H); U = torch.randn(4 * H, H); b = torch.randn(4 * H)
p = torch.randn(B, 4 * H); a = torch.randn(B, 4 * H); c = torch.randn(B, H)
def product():
    torch.addmm(b, h, U.t())
def gates():
    i, f, g, o = (p + a).chunk(4, 1)
    i, f, g, o = i.sigmoid(), f.sigmoid(), g.tanh(), o.sigmoid()
    c2 = f * c + i * g
    o * c2.tanh()
out = []
for fn in (product, gates):
    for _ in range(calls): fn()
    times = []
    for _ in range(args['reps']):
        t0 = time.perf_counter()
        for _ in range(calls): fn()
        times.append((time.perf_counter() - t0) * 1000 / calls)
    out.append(statistics.median(times))
print(json.dumps(out))
`;

export default async function rnnStepBench({ reps }: { reps: number }): Promise<BenchRow[]> {
  const product = `rnn step: recurrent product [${B},${H}]×[${H},${4 * H}]`;
  const gates = `rnn step: LSTM gates B${B} H${H}`;
  const perCall = async (fn: () => void) => (await timeMedian(() => { for (let i = 0; i < CALLS; i++) fn(); }, { reps, warmup: 1 })) / CALLS;
  const rows: BenchRow[] = [];
  const random = (n: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898) * 0.5);

  // Recurrent product.
  const hValues = random(B * H);
  const U = tf.tensor2d(random(H * 4 * H), [H, 4 * H]); // Uᵀ [H, 4H]
  const bias = tf.tensor1d(random(4 * H));
  rows.push({
    workload: product,
    system: 'tfjs wasm',
    medianMs: await perCall(() => {
      const a = tf.tensor2d(hValues, [B, H]);
      const out = tf.fused.matMul({ a, b: U, bias });
      readFloat32(out);
      tf.dispose([a, out]);
    }),
    note: 'kernel fused: tensor in, fused.matMul, read back',
  });
  const k = nativeKernels();
  if (k) {
    const mem = k.heap.layout({
      h: B * H, // h [B, H]
      UPacked: k.packed_size(H, 4 * H),
      bias: 4 * H,
      a: B * 4 * H, // a [B, 4H]
      out: 8 * B * H, // the LSTM step's eight [B, H] blocks
      p: B * 4 * H, // P_t [B, 4H]
      UTmp: H * 4 * H, // Uᵀ [H, 4H] before packing
    });
    const { h: hPtr, UPacked, bias: biasPtr, a: aPtr, out: outPtr, p: pPtr, UTmp } = mem;
    k.f32(hPtr, B * H).set(hValues);
    k.f32(UTmp, H * 4 * H).set(readFloat32(U));
    k.pack(H, 4 * H, UTmp, UPacked);
    k.f32(biasPtr, 4 * H).set(readFloat32(bias));
    k.f32(pPtr, B * 4 * H).set(random(B * 4 * H));
    rows.push({
      workload: product,
      system: 'sori native',
      medianMs: await perCall(() => k.gemm_packed(B, 4 * H, H, hPtr, UPacked, biasPtr, aPtr, 0)),
      note: `kernel native: gemm_packed, ${((B * H * 4 * H) / 1e6).toFixed(1)} M multiply-adds`,
    });
    rows.push({
      workload: gates,
      system: 'sori native',
      medianMs: await perCall(() => k.lstm_forward(B, H, pPtr, aPtr, hPtr, outPtr)),
      note: 'kernel native: lstm_forward (SIMD)',
    });
    k.heap.release(mem.block);
  }
  tf.dispose([U, bias]);

  // Gate arithmetic in JavaScript (the recurrent product stubbed out: it returns precomputed a).
  const aValues = random(B * 4 * H);
  const r: Recurrent = { B, H, direct: () => aValues, gated: (v) => v, directBack: (d) => d, gatedBack: (d) => d };
  const projection = random(B * 4 * H);
  const cPrev = random(B * H);
  rows.push({
    workload: gates,
    system: 'JavaScript',
    medianMs: await perCall(() => lstmFusedStep.forward(r, projection, hValues, cPrev)),
    note: 'kernel fused: lstmFusedStep.forward',
  });

  const torch = await runTorch(TORCH_SCRIPT, { B, H, calls: CALLS, reps });
  if (torch) {
    rows.push({ workload: product, system: 'pytorch', medianMs: torch.out[0], note: torchNote(torch.env, 'torch.addmm'), torch: torch.env });
    rows.push({ workload: gates, system: 'pytorch', medianMs: torch.out[1], note: torchNote(torch.env, 'chunk, sigmoid, tanh, mul, add'), torch: torch.env });
  }
  return rows;
}
