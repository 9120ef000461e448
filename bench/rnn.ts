/**
 * Recurrent stacks: one training step (forward, backward, Adam) and one inference pass, for
 * LSTM and GRU stacks in two shapes, on four systems in the same run:
 *   sori native     RnnStack with kernel 'native' (src/native/kernels.c: WebAssembly SIMD loop, hand-written BPTT)
 *   sori fused      RnnStack with kernel 'fused' (src/rnn/bptt: the same BPTT, gate arithmetic in JavaScript)
 *   sori reference  RnnStack with kernel 'reference' (runDirection differentiated by autodiff)
 *   tfjs layers     tf.layers.lstm / tf.layers.gru stacked, same backend
 *   pytorch         nn.LSTM / nn.GRU with torch.set_num_threads(N) and OpenBLAS on N threads (util.ts)
 * Loss everywhere: mean(y²) over the last layer's outputs y [B, T, H].
 */
import * as tf from '@tensorflow/tfjs';
import { RnnStack } from '../src/index.ts';
import { runTorch, timeMedian, torchNote, type BenchRow } from './util.ts';

interface Shape {
  numLayers: number;
  hiddenSize: number;
  B: number;
  T: number;
  F: number;
}
const SHAPES: Shape[] = [
  { numLayers: 2, hiddenSize: 128, B: 32, T: 100, F: 13 },
  { numLayers: 1, hiddenSize: 256, B: 64, T: 50, F: 13 },
];
const CELLS = ['lstm', 'gru'] as const;
type Cell = (typeof CELLS)[number];
type Mode = 'train' | 'infer';

function workloadName(cell: Cell, s: Shape, mode: Mode): string {
  return `rnn ${cell} ${s.numLayers}×${s.hiddenSize} B${s.B} T${s.T} ${mode}`;
}

const TORCH_SCRIPT = String.raw`
import json, sys, time, statistics, torch
args = json.load(sys.stdin)
torch.manual_seed(0)
out = []
for w in args['workloads']:
    cls = torch.nn.LSTM if w['cell'] == 'lstm' else torch.nn.GRU
    net = cls(w['F'], w['hiddenSize'], num_layers=w['numLayers'], batch_first=True)
    x = torch.randn(w['B'], w['T'], w['F'])
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    def train():
        opt.zero_grad()
        y, _ = net(x)
        loss = (y * y).mean()
        loss.backward()
        opt.step()
    def infer():
        with torch.no_grad():
            net(x)
    fn = train if w['mode'] == 'train' else infer
    for _ in range(args['warmup']):
        fn()
    times = []
    for _ in range(args['reps']):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    out.append(statistics.median(times))
print(json.dumps(out))
`;

function tfjsLayersModel(cell: Cell, s: Shape): tf.Sequential {
  const model = tf.sequential();
  for (let layer = 0; layer < s.numLayers; layer++) {
    const config = { units: s.hiddenSize, returnSequences: true, ...(layer === 0 ? { inputShape: [s.T, s.F] } : {}) };
    model.add(cell === 'lstm' ? tf.layers.lstm(config) : tf.layers.gru(config));
  }
  return model;
}

/** Time one system: `forward(x)` gives y [B, T, H]; train = minimize mean(y²) with Adam. */
async function timeSystem(
  forward: (x: tf.Tensor3D) => tf.Tensor,
  weights: tf.Variable[] | undefined,
  x: tf.Tensor3D,
  mode: Mode,
  reps: number,
  warmup: number,
): Promise<number> {
  const optimizer = tf.train.adam(1e-3);
  const step =
    mode === 'train'
      ? () => optimizer.minimize(() => tf.mean(tf.square(forward(x))) as tf.Scalar, false, weights)
      : () => tf.tidy(() => void forward(x).dataSync());
  const ms = await timeMedian(step, { warmup, reps });
  optimizer.dispose();
  return ms;
}

export default async function rnnBench({ reps }: { reps: number }): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const plan: { cell: Cell; shape: Shape; mode: Mode }[] = [];
  for (const cell of CELLS) for (const shape of SHAPES) for (const mode of ['train', 'infer'] as Mode[]) plan.push({ cell, shape, mode });

  for (const { cell, shape: s, mode } of plan) {
    const workload = workloadName(cell, s, mode);
    const x = tf.randomNormal([s.B, s.T, s.F], 0, 1, 'float32', 1) as tf.Tensor3D;
    for (const kernel of ['native', 'fused', 'reference'] as const) {
      const stack = new RnnStack({ cell, inputSize: s.F, hiddenSize: s.hiddenSize, numLayers: s.numLayers, seed: 1, kernel });
      const slow = kernel === 'reference'; // seconds per step: fewer repetitions
      const ms = await timeSystem((xx) => stack.apply(xx).outputs, stack.trainableWeights, x, mode, slow ? Math.min(reps, 3) : reps, slow ? 1 : 2);
      rows.push({ workload, system: `sori ${kernel}`, medianMs: ms });
      stack.dispose();
    }
    const model = tfjsLayersModel(cell, s);
    const layersMs = await timeSystem(
      (xx) => model.apply(xx) as tf.Tensor,
      undefined, // every trainable variable alive: the model's
      x,
      mode,
      Math.min(reps, 3),
      1,
    );
    rows.push({ workload, system: 'tfjs layers', medianMs: layersMs, note: cell === 'gru' ? 'tfjs GRU: reset-before form' : undefined });
    model.dispose();
    x.dispose();
    console.error(`rnn: ${workload} done`);
  }

  const torch = await runTorch(TORCH_SCRIPT, {
    warmup: 2,
    reps,
    workloads: plan.map(({ cell, shape, mode }) => ({ cell, mode, ...shape })),
  });
  if (torch) {
    plan.forEach(({ cell, shape, mode }, i) =>
      rows.push({ workload: workloadName(cell, shape, mode), system: 'pytorch', medianMs: torch.out[i], note: torchNote(torch.env), torch: torch.env }),
    );
  }
  const order = plan.map(({ cell, shape, mode }) => workloadName(cell, shape, mode));
  return order.flatMap((w) => rows.filter((r) => r.workload === w));
}
