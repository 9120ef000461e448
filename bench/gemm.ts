/**
 * How close the large matrix products of the RNN workloads run to the limit.
 *
 *   peak       the native module's gemm_packed (B packed beforehand) on square products
 *              M = N = K ∈ {256, 512, 1024}, each timed by its fastest repetition (at least 7):
 *              the best GFLOP/s of the three is "the module's peak" (PyTorch's squares alike)
 *   RNN        the products the native BPTT runs once per call over all T·B rows
 *              (src/rnn/bptt/native-loop.ts), for the two LSTM shapes of bench/rnn.ts (G = 4 gates;
 *              the layer with the widest input):
 *                input projection   P = X W_ihᵀ + b         [T·B, F] × [F, G·H]
 *                input gradient     ∂X = δP W_ih            [T·B, G·H] × [G·H, F]
 *                weight gradient    ∂W_ih = δPᵀ X           [G·H, T·B] × [T·B, F]   (after transposing δP)
 *                recurrent gradient ∂U = δAᵀ H_prev         [G·H, T·B] × [T·B, H]   (after transposing δA)
 *              timed as the loop runs them: k.gemm (packs B into scratch, then the product), with
 *              the transpose for the two gradients
 *   pytorch    torch.mm on the same shapes (transposes as views: BLAS reads them in place), and
 *              the same square products for its own peak
 *
 * GFLOP/s = 2·M·N·K / time. Rows give one product in milliseconds; notes give GFLOP/s and, on
 * sori's rows, the share of the module's peak. The module's products run on the thread that calls
 * them unless the native module itself spreads them (SORI_THREADS; sori-info.ts says whether it can).
 */
import { nativeKernels } from '../src/native/kernels.ts';
import { runTorch, timeMedian, torchNote, type BenchRow } from './util.ts';

interface Product {
  name: string;
  M: number;
  N: number;
  K: number;
  /** The A operand is stored transposed ([K, M]) and transposed first, as the weight gradients are. */
  transposeA: boolean;
  /** Time by the fastest repetition (the peak), not the median. */
  best?: boolean;
}

const SQUARES = [256, 512, 1024];
const RNN_SHAPES = [
  { label: 'lstm 2×128 B32 T100, layer 2', TB: 3200, F: 128, H: 128 },
  { label: 'lstm 1×256 B64 T50', TB: 3200, F: 13, H: 256 },
];
const G = 4;

function rnnProducts(): Product[] {
  return RNN_SHAPES.flatMap(({ label, TB, F, H }) => [
    { name: `${label}: input projection`, M: TB, N: G * H, K: F, transposeA: false },
    { name: `${label}: input gradient`, M: TB, N: F, K: G * H, transposeA: false },
    { name: `${label}: weight gradient ∂W_ih`, M: G * H, N: F, K: TB, transposeA: true },
    { name: `${label}: recurrent gradient ∂U`, M: G * H, N: H, K: TB, transposeA: true },
  ]);
}

const workloadName = (p: Product) => `gemm ${p.name} [${p.M},${p.K}]×[${p.K},${p.N}]`;
const gflops = (p: Product, ms: number) => (2 * p.M * p.N * p.K) / (ms * 1e6);

const TORCH_SCRIPT = String.raw`
import json, sys, time, statistics, torch
a = json.load(sys.stdin)
torch.manual_seed(0)
out = []
for p in a['products']:
    M, N, K = p['M'], p['N'], p['K']
    A = torch.randn(K, M).t() if p['transposeA'] else torch.randn(M, K)
    B = torch.randn(K, N)
    C = torch.empty(M, N)
    calls = max(1, int(2e8 // (2 * M * N * K)))
    def f():
        for _ in range(calls):
            torch.mm(A, B, out=C)
    f()
    times = []
    for _ in range(max(a['reps'], 7) if p.get('best') else a['reps']):
        t0 = time.perf_counter(); f(); times.append((time.perf_counter() - t0) * 1000 / calls)
    out.append(min(times) if p.get('best') else statistics.median(times))
print(json.dumps(out))
`;

/** Milliseconds of one call, timed over enough calls for ~0.2 GFLOP per repetition (median, or fastest for `best`). */
async function perCall(p: Product, fn: () => void, reps: number): Promise<number> {
  const calls = Math.max(1, Math.floor(2e8 / (2 * p.M * p.N * p.K)));
  const batch = () => { for (let i = 0; i < calls; i++) fn(); };
  if (!p.best) return (await timeMedian(batch, { warmup: 1, reps })) / calls;
  batch();
  let fastest = Infinity;
  for (let r = 0; r < Math.max(reps, 7); r++) {
    const t0 = performance.now();
    batch();
    fastest = Math.min(fastest, performance.now() - t0);
  }
  return fastest / calls;
}

export default async function gemmBench({ reps }: { reps: number }): Promise<BenchRow[]> {
  const squares: Product[] = SQUARES.map((n) => ({ name: `square ${n}`, M: n, N: n, K: n, transposeA: false, best: true }));
  const products = rnnProducts();
  const rows: BenchRow[] = [];
  const k = nativeKernels();
  let peak = 0;
  if (k) {
    const random = (n: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898) * 0.5);
    const time = async (p: Product, packed: boolean) => {
      const mem = k.heap.layout({
        A: p.M * p.K, // A [M, K] (or Aᵀ [K, M])
        At: p.transposeA ? p.M * p.K : 0, // A [M, K] after the transpose
        B: p.K * p.N, // B [K, N]
        Bp: k.packed_size(p.K, p.N), // B packed (gemm's scratch)
        C: p.M * p.N, // C [M, N]
      });
      k.f32(mem.A, p.M * p.K).set(random(p.M * p.K));
      k.f32(mem.B, p.K * p.N).set(random(p.K * p.N));
      let fn: () => void;
      if (packed) {
        k.pack(p.K, p.N, mem.B, mem.Bp);
        fn = () => k.gemm_packed(p.M, p.N, p.K, mem.A, mem.Bp, 0, mem.C, 0);
      } else if (p.transposeA) {
        fn = () => {
          k.transpose(p.K, p.M, mem.A, mem.At); // Aᵀ [K, M] → A [M, K]
          k.gemm(p.M, p.N, p.K, mem.At, mem.B, 0, mem.C, 0, mem.Bp);
        };
      } else {
        fn = () => k.gemm(p.M, p.N, p.K, mem.A, mem.B, 0, mem.C, 0, mem.Bp);
      }
      const ms = await perCall(p, fn, reps);
      k.heap.release(mem.block);
      return ms;
    };
    const squareMs: number[] = [];
    for (const p of squares) squareMs.push(await time(p, true));
    peak = Math.max(...squares.map((p, i) => gflops(p, squareMs[i])));
    squares.forEach((p, i) => {
      const g = gflops(p, squareMs[i]);
      rows.push({ workload: workloadName(p), system: 'sori native', medianMs: squareMs[i], gflops: g, note: `gemm_packed, fastest of ${Math.max(reps, 7)}, ${g.toFixed(1)} GFLOP/s${g === peak ? ' = the module’s peak' : ''}` });
    });
    for (const p of products) {
      const ms = await time(p, false);
      const g = gflops(p, ms);
      const how = p.transposeA ? 'transpose + gemm' : 'gemm';
      rows.push({ workload: workloadName(p), system: 'sori native', medianMs: ms, gflops: g, note: `${how}, ${g.toFixed(1)} GFLOP/s, ${Math.round((100 * g) / peak)} % of the module’s peak ${peak.toFixed(1)}` });
    }
  }
  const torch = await runTorch(TORCH_SCRIPT, { reps, products: [...squares, ...products] });
  if (torch) {
    [...squares, ...products].forEach((p, i) => {
      const ms: number = torch.out[i];
      const g = gflops(p, ms);
      rows.push({ workload: workloadName(p), system: 'pytorch', medianMs: ms, gflops: g, note: torchNote(torch.env, `torch.mm, ${p.best ? `fastest of ${Math.max(reps, 7)}, ` : ''}${g.toFixed(1)} GFLOP/s`), torch: torch.env });
    });
  }
  const order = [...squares, ...products].map(workloadName);
  return order.flatMap((w) => rows.filter((r) => r.workload === w));
}
