/**
 * The floor of each RNN bench row: the products it must run, timed at the native module's peak
 * of the same run (no gate arithmetic, no glue), against PyTorch's whole row.
 *
 *   npx tsx scripts/rnn-floor.ts bench/results/FILE.json
 *
 * Products per layer l (input size I_l: F for the first, H above), G gates (LSTM 4, GRU 3), B·T rows:
 *   forward    x W_ihᵀ and h U over all steps             2·B·T·I·G·H + 2·B·T·H·G·H
 *   backward   ∂W_ih, ∂U, the recurrent δh, and the
 *              input gradient above the first layer      2·B·T·I·G·H + 2·(2·B·T·H·G·H) [+ 2·B·T·G·H·I]
 * The peak is the best `gemm square` GFLOP/s of sori's module at that thread count in the run.
 */
import { readFileSync } from 'node:fs';

interface Row { workload: string; system: string; threads: number; medianMs: number; gflops?: number }

const file = process.argv[2];
if (!file) throw new Error('usage: npx tsx scripts/rnn-floor.ts bench/results/FILE.json');
const { rows } = JSON.parse(readFileSync(file, 'utf8')) as { rows: Row[] };

const peak = (threads: number) =>
  Math.max(...rows.filter((r) => r.workload.startsWith('gemm square') && r.system === 'sori native' && r.threads === threads).map((r) => r.gflops ?? 0));

function productFlops(cell: 'lstm' | 'gru', L: number, H: number, B: number, T: number, F: number, mode: 'train' | 'infer'): number {
  const G = cell === 'lstm' ? 4 : 3;
  let forward = 0;
  let backward = 0;
  for (let l = 0; l < L; l++) {
    const I = l === 0 ? F : H;
    forward += 2 * B * T * I * G * H + 2 * B * T * H * G * H;
    backward += 2 * B * T * I * G * H + 2 * (2 * B * T * H * G * H) + (l > 0 ? 2 * B * T * G * H * I : 0);
  }
  return mode === 'infer' ? forward : forward + backward;
}

const torch = (workload: string, threads: number) => rows.find((r) => r.workload === workload && r.system === 'pytorch' && r.threads === threads)?.medianMs;
console.log(`module peak: ${peak(1).toFixed(1)} GFLOP/s (N=1), ${peak(2).toFixed(1)} (N=2)`);
console.log('| row | products, GFLOP | at the module\'s peak, N=1 | PyTorch N=1 | floor ÷ PyTorch | at the peak, N=2 | PyTorch N=2 | floor ÷ PyTorch |');
console.log('|---|---|---|---|---|---|---|---|');
for (const cell of ['lstm', 'gru'] as const) {
  for (const [L, H, B, T] of [[2, 128, 32, 100], [1, 256, 64, 50]]) {
    for (const mode of ['train', 'infer'] as const) {
      const name = `${cell} ${L}×${H} B${B} T${T} ${mode}`;
      const gflop = productFlops(cell, L, H, B, T, 13, mode) / 1e9;
      const cells = [1, 2].flatMap((n) => {
        const floor = (gflop / peak(n)) * 1000;
        const p = torch(`rnn ${name}`, n);
        return [`${floor.toFixed(1)} ms`, p === undefined ? '–' : p.toFixed(1), p === undefined ? '–' : (floor / p).toFixed(2)];
      });
      console.log(`| ${name} | ${gflop.toFixed(2)} | ${cells.join(' | ')} |`);
    }
  }
}
