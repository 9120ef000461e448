/**
 * The sentiment classifier's training step (src/classify/classifier.ts, the imdb recipe's model
 * with an LSTM encoder), on sori and on the same network written in PyTorch, in the same run:
 *
 *   model    embedding V 20000 × E 64 → bidirectional LSTM H 64 → mean+max pooling over real steps
 *            [B, 4H] → dropout 0.5 → dense [4H → 1] → binary cross-entropy from the logit
 *   batch    B = 64 random reviews (mulberry32 seed 5), lengths T_b uniform in [T/4, T], T = 400
 *            (the first row T), <pad> = 0 after each row's end, random 0/1 labels: ragged, not
 *            length-bucketed as the recipe batches them
 *   train    forward (dropout on), BCE, backward, global-norm clipping at 5, Adam lr 0.002 (the
 *            imdb recipe's step: tf.variableGrads, clipByGlobalNorm, applyGradients); loss read back
 *
 * PyTorch: nn.Embedding, nn.LSTM(bidirectional) over pack_padded_sequence(lengths) (each
 * direction stops at / starts from the row's last real step, as RnnStack with `lengths`),
 * pad_packed_sequence (zeros at padding), the same masked mean and max, F.dropout, nn.Linear,
 * F.binary_cross_entropy_with_logits, clip_grad_norm_(5), Adam(eps 1e-7, tfjs's default). sori's
 * classifierWeights are copied in, and before timing both compute the eval-mode loss and its
 * global gradient norm (PyTorch's note shows the differences). Dropout masks are each library's own.
 */
import * as tf from '@tensorflow/tfjs';
import {
  classifierDefaults,
  classifierLoss,
  classifierWeights,
  clipByGlobalNorm,
  createClassifier,
  defaultRnnKernel,
  disposeClassifier,
  mulberry32,
  type ClassifierConfig,
} from '../src/index.ts';
import { lossAndGradNorm, packWeights, runTorch, timeMedian, torchNote, TORCH_TIMED_TRAINING, type BenchRow } from './util.ts';

const B = 64;
const T = 400;
const CONFIG: ClassifierConfig = {
  ...classifierDefaults,
  vocabSize: 20000,
  embeddingSize: 64,
  encoder: 'lstm',
  hiddenSize: 64,
  bidirectional: true,
  pooling: 'mean+max',
  maxLength: T,
  dropout: 0.5,
  loss: 'binary',
};
const LEARNING_RATE = 0.002;
const CLIP_NORM = 5;
const ADAM_EPSILON = 1e-7; // tf.train.adam's default

const workload = `classify bi-lstm ${CONFIG.hiddenSize} E${CONFIG.embeddingSize} V${CONFIG.vocabSize} mean+max B${B} T${T} ragged train`;

const TORCH_SCRIPT = String.raw`
import json, sys, time, statistics, base64, torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence
a = json.load(sys.stdin)
torch.manual_seed(0)
c = a['config']

class Classifier(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.p = c['dropout']
        self.embedding = nn.Embedding(c['vocabSize'], c['embeddingSize'])
        self.encoder = nn.LSTM(c['embeddingSize'], c['hiddenSize'], bidirectional=True, batch_first=True)
        self.dense = nn.Linear(4 * c['hiddenSize'], 1)

    def forward(self, ids, lengths):
        B, T = ids.shape
        mask = torch.arange(T)[None, :] < lengths[:, None]  # [B, T]
        e = self.embedding(ids)
        y, _ = self.encoder(pack_padded_sequence(e, lengths, batch_first=True, enforce_sorted=False))
        y, _ = pad_packed_sequence(y, batch_first=True, total_length=T)  # [B, T, 2H], 0 at padding
        mean = y.sum(1) / lengths[:, None].clamp(min=1)
        top = y.masked_fill(~mask[:, :, None], -1e30).amax(1)
        f = F.dropout(torch.cat([mean, top], 1), self.p, self.training)  # [B, 4H]
        return self.dense(f)[:, 0]  # [B]

model = Classifier(c)
params = dict(model.named_parameters())
assert len(params) == len(a['weights']), (sorted(params), sorted(a['weights']))
with torch.no_grad():
    for k, w in a['weights'].items():
        value = torch.frombuffer(bytearray(base64.b64decode(w['data'])), dtype=torch.float32).view(*w['shape'])
        assert params[k].shape == value.shape, (k, params[k].shape, value.shape)
        params[k].copy_(value)

ids = torch.tensor(a['ids'])
lengths = torch.tensor(a['lengths'])
labels = torch.tensor(a['labels'], dtype=torch.float32)
def loss_of():
    return F.binary_cross_entropy_with_logits(model(ids, lengths), labels)
model.eval()
loss = loss_of()
loss.backward()
eval_loss = loss.item()
grad_norm = torch.sqrt(sum((p.grad ** 2).sum() for p in model.parameters())).item()
model.zero_grad()

model.train()
${TORCH_TIMED_TRAINING}`;

export default async function classifyBench({ reps }: { reps: number }): Promise<BenchRow[]> {
  const random = mulberry32(5);
  const lengths = Array.from({ length: B }, (_, b) => (b === 0 ? T : T / 4 + Math.floor(random() * (T - T / 4 + 1))));
  const idRows = lengths.map((len) => Array.from({ length: T }, (_, t) => (t < len ? 1 + Math.floor(random() * (CONFIG.vocabSize - 1)) : 0)));
  const labels = lengths.map(() => (random() < 0.5 ? 0 : 1));
  const ids = tf.tensor2d(idRows, [B, T], 'int32'); // [B, T]
  const model = createClassifier(CONFIG, { seed: 1 });
  const weights = classifierWeights(model);
  const varList = Object.values(weights);
  const tensorsBefore = tf.memory().numTensors;

  // What PyTorch must reproduce from the same weights: the eval-mode loss and its gradient norm.
  const [evalLoss, gradNorm] = lossAndGradNorm(() => classifierLoss(model, ids, lengths, labels, { training: false }), varList);
  const torchArgs = {
    warmup: 2,
    reps,
    config: CONFIG,
    learningRate: LEARNING_RATE,
    clipNorm: CLIP_NORM,
    adamEpsilon: ADAM_EPSILON,
    // sori's names are PyTorch's with the module in front: encoder.weight_ih_l0_reverse …
    weights: packWeights(weights),
    ids: idRows,
    lengths,
    labels,
  };

  const optimizer: tf.Optimizer = tf.train.adam(LEARNING_RATE); // as trainLoop sees it
  let step = 0;
  const trainStep = () => {
    const loss = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(
        () => classifierLoss(model, ids, lengths, labels, { training: true, dropoutSeed: 1000 + step++ }),
        varList,
      );
      optimizer.applyGradients(clipByGlobalNorm(grads, CLIP_NORM));
      return value;
    });
    loss.dataSync();
    loss.dispose();
  };
  const ms = await timeMedian(trainStep, { warmup: 2, reps });
  optimizer.dispose();
  const leaked = tf.memory().numTensors - tensorsBefore;
  disposeClassifier(model);
  ids.dispose();
  console.error(`classify: ${workload} done`);

  const rows: BenchRow[] = [
    { workload, system: 'sori', medianMs: ms, note: `${tf.getBackend()}, rnn kernel ${defaultRnnKernel()}, ${leaked} tensors leaked over ${reps + 3} calls` },
  ];
  const ran = await runTorch(TORCH_SCRIPT, torchArgs);
  if (ran) {
    const { out, env } = ran;
    const agree = `eval loss ${evalLoss.toFixed(5)}, |Δ| ${Math.abs(evalLoss - out.evalLoss).toExponential(1)}; ‖grad‖ ${gradNorm.toFixed(4)}, |Δ| ${Math.abs(gradNorm - out.gradNorm).toExponential(1)}`;
    rows.push({ workload, system: 'pytorch', medianMs: out.train, note: torchNote(env, agree), torch: env });
  }
  return rows;
}
