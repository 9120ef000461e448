/**
 * The forecaster's training step (src/forecast/forecaster.ts as the stock recipe trains it:
 * recipes/stock/config.ts), on sori and on the same network written in PyTorch, in the same run:
 *
 *   model    GRU (reset-after) H 32 over windows T = 30 of F = 7 features, the last step's h
 *            → linear head [H → K·C], K = 5 minutes × C = 3 targets; channel 1 centred on its
 *            window mean, which is added back to output 1 (forecasterDefaults, horizon 5)
 *   batch    B = 64 random standardised windows and targets (mulberry32 seed 3), mask all 1
 *   train    forward, masked MAE, backward, global-norm clipping at 1, Adam lr 0.003 (the recipe's
 *            step); loss read back
 *
 * PyTorch: nn.GRU(batch_first), nn.Linear, the same centring, (|ŷ − y|·m).sum() / m.sum(),
 * clip_grad_norm_(1), Adam(eps 1e-7, tfjs's default), from sori's weights (forecasterWeights are
 * named like the PyTorch module: rnn.weight_ih_l0 …, head.weight); before timing both compute the
 * loss and its global gradient norm (PyTorch's note shows the differences).
 */
import * as tf from '@tensorflow/tfjs';
import {
  clipByGlobalNorm,
  createForecaster,
  defaultRnnKernel,
  disposeForecaster,
  forecast,
  forecasterDefaults,
  forecasterWeights,
  maskedMae,
  mulberry32,
  type ForecasterConfig,
} from '../src/index.ts';
import { lossAndGradNorm, packWeights, runTorch, timeMedian, torchNote, TORCH_TIMED_TRAINING, type BenchRow } from './util.ts';

const B = 64;
const CONFIG: ForecasterConfig = { ...forecasterDefaults, horizon: 5 };
const LEARNING_RATE = 0.003;
const CLIP_NORM = 1;
const ADAM_EPSILON = 1e-7;
const { window: T, inputSize: F, horizon: K, targets: C, hiddenSize: H } = CONFIG;

const workload = `forecast ${CONFIG.cell} ${H} T${T} F${F} K${K} C${C} B${B} train`;

const TORCH_SCRIPT = String.raw`
import json, sys, time, statistics, base64, torch
import torch.nn as nn
a = json.load(sys.stdin)
c = a['config']
B, T, F, K, C, H = a['B'], c['window'], c['inputSize'], c['horizon'], c['targets'], c['hiddenSize']

class Forecaster(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.GRU(F, H, num_layers=c['numLayers'], batch_first=True)
        self.head = nn.Linear(H, K * C)
        self.register_buffer('channels', torch.tensor([1.0 if f in c['centre'] else 0.0 for f in range(F)]))

    def forward(self, x):
        level = x.mean(1, keepdim=True) * self.channels  # [B, 1, F]
        y, _ = self.rnn(x - level)
        return self.head(y[:, -1]).view(-1, K, C) + level[:, :, :C]  # [B, K, C]

model = Forecaster()
params = dict(model.named_parameters())
assert len(params) == len(a['weights']), (sorted(params), sorted(a['weights']))
with torch.no_grad():
    for k, w in a['weights'].items():
        params[k].copy_(torch.frombuffer(bytearray(base64.b64decode(w['data'])), dtype=torch.float32).view(*w['shape']))
x = torch.tensor(a['x']).view(B, T, F)
y = torch.tensor(a['y']).view(B, K, C)
m = torch.ones(B, K, C)
def loss_of():
    return ((model(x) - y).abs() * m).sum() / m.sum()
loss = loss_of()
loss.backward()
eval_loss = loss.item()
grad_norm = torch.sqrt(sum((p.grad ** 2).sum() for p in model.parameters())).item()
model.zero_grad()
${TORCH_TIMED_TRAINING}`;

export default async function forecastBench({ reps }: { reps: number }): Promise<BenchRow[]> {
  const random = mulberry32(3);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const xValues = Array.from({ length: B * T * F }, normal);
  const yValues = Array.from({ length: B * K * C }, normal);
  const x = tf.tensor3d(xValues, [B, T, F]); // [B, T, F]
  const y = tf.tensor3d(yValues, [B, K, C]); // [B, K, C]
  const mask = tf.onesLike(y); // [B, K, C]
  const model = createForecaster(CONFIG);
  const weights = forecasterWeights(model);
  const varList = Object.values(weights) as tf.Variable[];
  const lossOf = () => maskedMae(forecast(model, x, { training: true }), y, mask);

  const [evalLoss, gradNorm] = lossAndGradNorm(lossOf, varList);
  const torchArgs = {
    B,
    warmup: 3,
    reps,
    config: CONFIG,
    learningRate: LEARNING_RATE,
    clipNorm: CLIP_NORM,
    adamEpsilon: ADAM_EPSILON,
    weights: packWeights(weights),
    x: xValues,
    y: yValues,
  };
  const tensorsBefore = tf.memory().numTensors;
  const optimizer: tf.Optimizer = tf.train.adam(LEARNING_RATE); // as trainLoop sees it
  const trainStep = () => {
    const loss = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(lossOf, varList);
      optimizer.applyGradients(clipByGlobalNorm(grads, CLIP_NORM));
      return value;
    });
    loss.dataSync();
    loss.dispose();
  };
  const ms = await timeMedian(trainStep, { warmup: 3, reps: Math.max(reps, 10) });
  optimizer.dispose();
  const leaked = tf.memory().numTensors - tensorsBefore;
  disposeForecaster(model);
  tf.dispose([x, y, mask]);
  console.error(`forecast: ${workload} done`);

  const rows: BenchRow[] = [
    { workload, system: 'sori', medianMs: ms, note: `${tf.getBackend()}, rnn kernel ${defaultRnnKernel()}, ${leaked} tensors leaked over ${Math.max(reps, 10) + 3} steps` },
  ];
  const ran = await runTorch(TORCH_SCRIPT, { ...torchArgs, reps: Math.max(reps, 10) });
  if (ran) {
    const { out, env } = ran;
    const agree = `loss ${evalLoss.toFixed(5)}, |Δ| ${Math.abs(evalLoss - out.evalLoss).toExponential(1)}; ‖grad‖ ${gradNorm.toFixed(4)}, |Δ| ${Math.abs(gradNorm - out.gradNorm).toExponential(1)}`;
    rows.push({ workload, system: 'pytorch', medianMs: out.train, note: torchNote(env, agree), torch: env });
  }
  return rows;
}
