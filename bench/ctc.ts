/**
 * CTC loss forward + backward, B = 32, T = 200, C = 29, S = 40: sori's ctcLoss (tf.valueAndGrad,
 * gradient read back) against torch.nn.functional.ctc_loss (log_softmax, loss, backward) on the
 * same shapes; PyTorch on N threads, sori's dynamic program in one JS thread.
 */
import * as tf from '@tensorflow/tfjs';
import { ctcLoss } from '../src/ctc/loss.ts';
import { mulberry32 } from '../src/random.ts';
import { runTorch, timeMedian, torchNote, type BenchRow } from './util.ts';

const B = 32, T = 200, C = 29, S = 40;
const workload = `ctc loss fwd+bwd B${B} T${T} C${C} S${S}`;

const TORCH_SCRIPT = `
import json, sys, time, statistics, torch
import torch.nn.functional as F
a = json.load(sys.stdin)
torch.manual_seed(0)
B, T, C, S = a['B'], a['T'], a['C'], a['S']
logits = torch.randn(T, B, C, requires_grad=True)
targets = torch.randint(1, C, (B, S))
il = torch.full((B,), T, dtype=torch.long)
tl = torch.full((B,), S, dtype=torch.long)
def step():
    logits.grad = None
    loss = F.ctc_loss(logits.log_softmax(2), targets, il, tl, reduction='mean')
    loss.backward()
for _ in range(a['warmup']):
    step()
times = []
for _ in range(a['reps']):
    t0 = time.perf_counter(); step(); times.append((time.perf_counter() - t0) * 1000)
print(json.dumps({'medianMs': statistics.median(times)}))
`;

export default async function run(opts: { reps: number }): Promise<BenchRow[]> {
  const random = mulberry32(1);
  const targets = Array.from({ length: B }, () => Array.from({ length: S }, () => 1 + Math.floor(random() * (C - 1))));
  const inputLengths = new Array<number>(B).fill(T);
  const targetLengths = new Array<number>(B).fill(S);
  const logits = tf.randomNormal([B, T, C], 0, 1, 'float32', 1) as tf.Tensor3D;
  const lossAndGrad = tf.valueAndGrad((z: tf.Tensor) =>
    ctcLoss(z as tf.Tensor3D, targets, inputLengths, targetLengths, { reduction: 'mean' }) as tf.Scalar,
  );
  const soriMs = await timeMedian(
    () => {
      const { value, grad } = lossAndGrad(logits);
      grad.dataSync();
      tf.dispose([value, grad]);
    },
    { warmup: 3, reps: Math.max(opts.reps, 5) },
  );
  logits.dispose();
  const rows: BenchRow[] = [{ workload, system: 'sori', medianMs: soriMs, note: tf.getBackend() }];
  const torch = await runTorch(TORCH_SCRIPT, { B, T, C, S, warmup: 3, reps: Math.max(opts.reps, 5) });
  if (torch) rows.push({ workload, system: 'pytorch', medianMs: torch.out.medianMs, note: torchNote(torch.env), torch: torch.env });
  return rows;
}
