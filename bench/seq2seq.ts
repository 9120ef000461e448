/**
 * Seq2seq: one training step, greedy and beam-5 decoding of the translation model (src/seq2seq/model.ts)
 * configured as the tatoeba recipe trains it (recipes/tatoeba/config.ts), on sori and on the same
 * network written in PyTorch, in the same run:
 *
 *   model    GRU (reset-after), 1 layer, bidirectional encoder H = 128 (decoder H·D = 256),
 *            E = 64, Luong 'general' attention, dropout 0.3 on the embeddings, V_src = V = 1000
 *   batch    B = 32 random sentence pairs (mulberry32 seed 7), source T_b and target U_b in
 *            [T/2, T] with T = U = 20 (<eos> / <sos> included): padding in every row but one
 *   train    forward (teacher forcing, dropout on), masked cross-entropy with label smoothing 0.1,
 *            backward, global-norm clipping at 5, Adam lr 0.003 (sori's adam, as the recipe) — the recipe's step
 *            (trainLoop: tf.variableGrads, clipByGlobalNorm, applyGradients); loss read back
 *   greedy   translateIds, greedy, maxLength U = 20 (encode once, then one batched decoder step
 *            per output symbol; log-softmax, argmax and the attention row per step), timed before
 *            the training steps, with the initial weights: all 20 steps run (the note says so)
 *   beam-5   translateIds, beamWidth 5, length penalty α = 1, maxLength 20: B·K = 160 rows per
 *            decoder step, timed next (also with the initial weights)
 *
 * TensorFlow.js has no stock layer for an attention encoder-decoder, so there is no 'tfjs layers'
 * row here (building one from tf.layers would be a second implementation, not a stock baseline).
 *
 * How the PyTorch model mirrors sori's (TORCH_SCRIPT below), equal:
 *   - nn.Embedding (source, target; no padding_idx — sori's embeddings have none either),
 *     F.dropout(p) on both embedding outputs in training; nn.GRU's own dropout only between layers,
 *     as RnnStack's (none at 1 layer).
 *   - encoder nn.GRU(E, H, bidirectional) over pack_padded_sequence(source lengths): the backward
 *     direction starts at each row's last real step, as RnnStack with `lengths`; outputs 0 at padding.
 *   - bridge s_0^(l) = [h→_T^(l) ; h←_1^(l)]: h_n [L·D, B, H] → [L, B, D·H].
 *   - decoder nn.GRU(E, H·D) from s_0 over pack_padded_sequence(target lengths) (teacher forcing).
 *   - score e = s_uᵀ W_a h_t (nn.Linear(H·D, H·D, bias=False) on the encoder outputs, once),
 *     masked_fill(−1e9) at padded source steps, softmax over t, c_u = Σ_t α h_t;
 *     h̃ = tanh(W_c [c ; s]) (no bias), z = W_o h̃ + b_o.
 *   - loss: F.cross_entropy(label_smoothing=ε, reduction='none') averaged over real target steps
 *     (= sori's maskedCrossEntropy, PyTorch's definition of ε); clip_grad_norm_(5) (the same
 *     min(1, 5 / (‖g‖ + 1e-6)) scale); Adam lr 0.003, β 0.9 / 0.999, eps 1e-7 (tfjs's default).
 *   - the same initial weights: sori's namedWeights are copied into the PyTorch model, and before
 *     timing both compute the eval-mode loss of the batch and its global gradient norm (the note
 *     shows sori's and the difference) and the greedy outputs (the note counts equal rows).
 * Different:
 *   - PyTorch's greedy loop keeps everything in tensors (argmax and the running score in torch);
 *     sori's greedySearch brings log p [B, V] and α [B, T] to JavaScript at every step and picks
 *     the argmax there. Both run the same number of decoder steps (sori's count is passed on).
 *   - PyTorch's beam search is sori's beamSearch (the same candidates, order, stopping rule and
 *     length normalisation) with the candidate walk written as tensor ops (topk, sort, cumsum,
 *     scatter) and only the finished hypotheses in Python lists; sori walks the candidates in
 *     JavaScript. The note counts rows whose best hypothesis is the same.
 *   - at the initial weights the logits are nearly flat and every hypothesis runs to maxLength, so
 *     both sides also decode (untimed) with a peaked output layer (PEAK: W_o × 20, b_o[<eos>] + 2),
 *     where outputs end at every length: the notes count equal rows there too.
 *   - dropout masks are drawn by each library's own generator.
 *   - PyTorch runs N threads (torch.set_num_threads(N), OpenBLAS on N: util.ts); the wasm backend runs one in Node.
 *
 * SORI_BENCH_CLOCK=cpu times both sides in CPU time of their process instead of wall time
 * (process.cpuUsage, time.process_time): on a loaded machine the steadier comparison, as it leaves
 * out the time each waited for a core (at N > 1 it adds up the threads' time instead).
 */
import * as tf from '@tensorflow/tfjs';
import {
  adam,
  clipByGlobalNorm,
  defaultRnnKernel,
  EOS_ID,
  mulberry32,
  Seq2Seq,
  translateIds,
  translationBatch,
  disposeBatch,
  type Hypothesis,
  type Seq2SeqConfig,
} from '../src/index.ts';
import { lossAndGradNorm, packWeights, runTorch, timeMedian as wallMedian, torchNote, type BenchRow } from './util.ts';

/** SORI_BENCH_CLOCK=cpu: CPU time of the process instead of wall time, on both sides. */
const CPU_CLOCK = process.env.SORI_BENCH_CLOCK === 'cpu';

/** util.ts's timeMedian, in CPU milliseconds when CPU_CLOCK. */
async function timeMedian(fn: () => unknown, { warmup = 2, reps = 5 }: { warmup?: number; reps?: number } = {}): Promise<number> {
  if (!CPU_CLOCK) return wallMedian(fn, { warmup, reps });
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const c0 = process.cpuUsage();
    await fn();
    const c = process.cpuUsage(c0);
    times.push((c.user + c.system) / 1000);
  }
  times.sort((a, b) => a - b);
  const mid = times.length >> 1;
  return times.length % 2 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
}

const B = 32;
const T = 20; // source steps, <eos> included
const U = 20; // target steps, <sos> (in) / <eos> (out) included
const CONFIG: Seq2SeqConfig = {
  sourceVocabSize: 1000,
  targetVocabSize: 1000,
  embeddingSize: 64,
  hiddenSize: 128,
  numLayers: 1,
  cell: 'gru',
  bidirectional: true,
  attention: 'luong-general',
  dropout: 0.3,
  seed: 1,
};
const LEARNING_RATE = 0.003;
const CLIP_NORM = 5;
const LABEL_SMOOTHING = 0.1;
const ADAM_EPSILON = 1e-7; // tf.train.adam's default (the backend's epsilon)

const shape = `gru 1×${CONFIG.hiddenSize} bi-enc, luong-general, E${CONFIG.embeddingSize} V${CONFIG.sourceVocabSize}/${CONFIG.targetVocabSize} B${B} T${T} U${U}`;
const TRAIN = `seq2seq ${shape} train`;
const INFER = `seq2seq ${shape} greedy`;
const BEAM_WIDTH = 5;
const BEAM = `seq2seq ${shape} beam-${BEAM_WIDTH}`;

/** Id rows of lengths in [min, max], the first row of length max; ids avoid <pad>, <sos>, <eos>, <unk>. */
function randomRows(random: () => number, V: number, min: number, max: number): number[][] {
  return Array.from({ length: B }, (_, b) => {
    const length = b === 0 ? max : min + Math.floor(random() * (max - min + 1));
    return Array.from({ length }, () => 4 + Math.floor(random() * (V - 4)));
  });
}

const TORCH_SCRIPT = String.raw`
import json, sys, time, statistics, base64, torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence
a = json.load(sys.stdin)
torch.manual_seed(0)
c = a['config']
SOS, EOS = 1, 2

class Seq2Seq(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.L, self.D, self.H = c['numLayers'], 2 if c['bidirectional'] else 1, c['hiddenSize']
        Hd, E, self.p = self.H * self.D, c['embeddingSize'], c['dropout']
        between = self.p if self.L > 1 else 0.0
        self.src_emb = nn.Embedding(c['sourceVocabSize'], E)
        self.tgt_emb = nn.Embedding(c['targetVocabSize'], E)
        self.encoder = nn.GRU(E, self.H, num_layers=self.L, bidirectional=self.D == 2, batch_first=True, dropout=between)
        self.decoder = nn.GRU(E, Hd, num_layers=self.L, batch_first=True, dropout=between)
        self.general = nn.Linear(Hd, Hd, bias=False)   # W_a
        self.combine = nn.Linear(2 * Hd, Hd, bias=False)  # W_c
        self.out = nn.Linear(Hd, c['targetVocabSize'])  # W_o, b_o

    def encode(self, src, src_len):
        B, T = src.shape
        x = F.dropout(self.src_emb(src), self.p, self.training)
        y, h = self.encoder(pack_padded_sequence(x, src_len, batch_first=True, enforce_sorted=False))
        values, _ = pad_packed_sequence(y, batch_first=True, total_length=T)  # [B, T, H·D]
        h0 = h.view(self.L, self.D, B, self.H).transpose(1, 2).reshape(self.L, B, self.D * self.H)  # [L, B, H·D]
        mask = torch.arange(T)[None, :] < src_len[:, None]  # [B, T]
        return values, self.general(values), mask, h0

    def decode(self, y_in, tgt_len, h0, values, keys, mask):
        e = F.dropout(self.tgt_emb(y_in), self.p, self.training)
        if tgt_len is None:
            s, h = self.decoder(e, h0)
        else:
            s, h = self.decoder(pack_padded_sequence(e, tgt_len, batch_first=True, enforce_sorted=False), h0)
            s, _ = pad_packed_sequence(s, batch_first=True, total_length=y_in.shape[1])  # [B, U, H·D]
        scores = (s @ keys.transpose(1, 2)).masked_fill(~mask[:, None, :], -1e9)  # [B, U, T]
        alpha = scores.softmax(-1)
        context = alpha @ values
        logits = self.out(torch.tanh(self.combine(torch.cat([context, s], -1))))  # [B, U, V]
        return logits, alpha, h

    def loss(self, b, eps):
        values, keys, mask, h0 = self.encode(b['src'], b['src_len'])
        logits, _, _ = self.decode(b['tgt_in'], b['tgt_len'], h0, values, keys, mask)
        Bn, Un, V = logits.shape
        per = F.cross_entropy(logits.reshape(-1, V), b['tgt_out'].reshape(-1), reduction='none', label_smoothing=eps).view(Bn, Un)
        m = (torch.arange(Un)[None, :] < b['tgt_len'][:, None]).float()
        return (per * m).sum() / m.sum().clamp(min=1)

    @torch.no_grad()
    def greedy(self, src, src_len, steps):
        values, keys, mask, h = self.encode(src, src_len)
        y = torch.full((src.shape[0],), SOS, dtype=torch.long)
        score = torch.zeros(src.shape[0])
        tokens, alphas = [], []
        for u in range(steps):
            logits, alpha, h = self.decode(y[:, None], None, h, values, keys, mask)
            logp = logits[:, 0].log_softmax(-1)
            y = logp.argmax(-1)
            score += logp.gather(1, y[:, None])[:, 0]
            tokens.append(y)
            alphas.append(alpha)
        return torch.stack(tokens, 1), score

    @torch.no_grad()
    def beam(self, src, src_len, K, max_len):
        # sori's beamSearch (src/seq2seq/search.ts), its candidate walk as tensor ops: each live
        # beam's 2K best continuations, best first; <eos> ends a hypothesis, the first K others
        # are the next beams, both while fewer than K beams and K finished; a sample is done at K
        # finished (or no beams); the answer maximises score / |y| (<eos> counted).
        B = src.shape[0]
        values, keys, mask, h = self.encode(src, src_len)
        values, keys, mask = (t.repeat_interleave(K, 0) for t in (values, keys, mask))
        h = h.repeat_interleave(K, 1)  # [L, B·K, H·D]
        score = torch.full((B, K), float('-inf'))
        score[:, 0] = 0
        tokens = torch.zeros(B, K, 0, dtype=torch.long)
        y = torch.full((B * K,), SOS, dtype=torch.long)
        finished = [[] for _ in range(B)]
        done = torch.zeros(B, dtype=torch.bool)
        rows0 = torch.arange(B)[:, None] * K
        steps = 0
        while steps < max_len and not bool(done.all()):
            steps += 1
            logits, _, h = self.decode(y[:, None], None, h, values, keys, mask)
            top, idx = logits[:, 0].log_softmax(-1).reshape(B, K, -1).topk(2 * K, -1)  # [B, K, 2K]
            cand, order = (score[:, :, None] + top).reshape(B, -1).sort(-1, descending=True)  # [B, 2K²]
            parent, tok = order // (2 * K), idx.reshape(B, -1).gather(1, order)
            valid = torch.isfinite(cand) & ~done[:, None]
            eos = tok == EOS
            n_fin = torch.tensor([len(f) for f in finished])
            other, ended = (valid & ~eos).long(), (valid & eos).long()
            ok = valid & (other.cumsum(1) - other < K) & (n_fin[:, None] + ended.cumsum(1) - ended < K)
            for b, j in (ok & eos).nonzero().tolist():
                finished[b].append((cand[b, j].item(), tokens[b, parent[b, j]].tolist()))
            keep = ok & ~eos
            slot = torch.where(keep, keep.long().cumsum(1) - 1, torch.full_like(order, K))  # K: discarded
            new_parent = torch.zeros(B, K + 1, dtype=torch.long).scatter_(1, slot, parent)[:, :K]
            new_tok = torch.full((B, K + 1), EOS, dtype=torch.long).scatter_(1, slot, tok)[:, :K]
            score = torch.full((B, K + 1), float('-inf')).scatter_(1, slot, cand)[:, :K]
            n_fin = torch.tensor([len(f) for f in finished])
            done = done | (n_fin >= K) | (keep.sum(1) == 0)
            score[done] = float('-inf')
            new_tok[done] = EOS
            tokens = torch.cat([tokens.gather(1, new_parent[:, :, None].expand(-1, -1, tokens.shape[2])), new_tok[:, :, None]], 2)
            y = new_tok.reshape(-1)
            h = h[:, (rows0 + new_parent).reshape(-1)]
        best = []
        for b in range(B):
            hyps = [(s / (len(t) + 1), t) for s, t in finished[b]]
            if not hyps:
                hyps = [(score[b, k].item() / tokens.shape[2], tokens[b, k].tolist()) for k in range(K) if torch.isfinite(score[b, k])]
            best.append(max(hyps, key=lambda st: st[0])[1])
        return best, steps

model = Seq2Seq(c)
names = {
    'encoder.embedding.weight': 'src_emb.weight', 'decoder.embedding.weight': 'tgt_emb.weight',
    'attention.general.weight': 'general.weight', 'decoder.combine.weight': 'combine.weight',
    'decoder.output.weight': 'out.weight', 'decoder.output.bias': 'out.bias',
}
params = dict(model.named_parameters())
assert len(params) == len(a['weights']), (sorted(params), sorted(a['weights']))
with torch.no_grad():
    for k, w in a['weights'].items():
        name = names.get(k) or k.replace('encoder.rnn.', 'encoder.').replace('decoder.rnn.', 'decoder.')
        value = torch.frombuffer(bytearray(base64.b64decode(w['data'])), dtype=torch.float32).view(*w['shape'])
        assert params[name].shape == value.shape, (k, name, params[name].shape, value.shape)
        params[name].copy_(value)

batch = {k: torch.tensor(a['batch'][k]) for k in ['src', 'src_len', 'tgt_in', 'tgt_out', 'tgt_len']}
eps = a['labelSmoothing']
model.eval()
loss = model.loss(batch, eps)
loss.backward()
eval_loss = loss.item()
grad_norm = torch.sqrt(sum((p.grad ** 2).sum() for p in model.parameters())).item()
model.zero_grad()
greedy_tokens, _ = model.greedy(batch['src'], batch['src_len'], a['greedySteps'])
beam_tokens, beam_steps = model.beam(batch['src'], batch['src_len'], a['beamWidth'], a['maxLength'])
# The same decoders with a peaked output layer, where hypotheses end at every length (then restored).
kept = model.out.weight.detach().clone(), model.out.bias.detach().clone()
with torch.no_grad():
    model.out.weight.mul_(a['peak']['outputScale'])
    model.out.bias[EOS] += a['peak']['eosBias']
peak_greedy, _ = model.greedy(batch['src'], batch['src_len'], a['maxLength'])
peak_beam, _ = model.beam(batch['src'], batch['src_len'], a['beamWidth'], a['maxLength'])
with torch.no_grad():
    model.out.weight.copy_(kept[0])
    model.out.bias.copy_(kept[1])

opt = torch.optim.Adam(model.parameters(), lr=a['learningRate'], eps=a['adamEpsilon'])
def train():
    opt.zero_grad()
    loss = model.loss(batch, eps)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), a['clipNorm'])
    opt.step()
    return loss.item()
def infer():
    src = torch.tensor(a['batch']['src'])
    model.greedy(src, torch.tensor(a['batch']['src_len']), a['greedySteps'])
def infer_beam():
    src = torch.tensor(a['batch']['src'])
    model.beam(src, torch.tensor(a['batch']['src_len']), a['beamWidth'], a['maxLength'])

def med(fn):
    for _ in range(a['warmup']):
        fn()
    times = []
    for _ in range(a['reps']):
        t0 = time.perf_counter(); fn(); times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)
model.eval()
infer_ms = med(infer)  # before training, as on sori's side: the initial weights
beam_ms = med(infer_beam)
model.train()
train_ms = med(train)
print(json.dumps({'evalLoss': eval_loss, 'gradNorm': grad_norm, 'greedyTokens': greedy_tokens.tolist(), 'beamTokens': beam_tokens, 'beamSteps': beam_steps, 'peakGreedy': peak_greedy.tolist(), 'peakBeam': peak_beam, 'train': train_ms, 'infer': infer_ms, 'beam': beam_ms}))
`;

/**
 * The output layer made peaked for the output checks: at the initial weights every hypothesis runs
 * to maxLength (the logits are nearly flat), so <eos> and the finished-hypothesis path of the
 * searches would go unchecked. W_o × 20 and b_o[<eos>] + 2 give outputs of every length 0 … 20.
 */
const PEAK = { outputScale: 20, eosBias: 2 };

/** Greedy and beam outputs with the peaked output layer; the model's weights are restored after. */
function peakedOutputs(model: Seq2Seq, sources: number[][]): { greedy: Hypothesis[]; beam: Hypothesis[] } {
  const { 'decoder.output.weight': weight, 'decoder.output.bias': bias } = model.namedWeights();
  const kept = [weight.clone(), bias.clone()];
  try {
    tf.tidy(() => {
      weight.assign(tf.mul(kept[0], PEAK.outputScale));
      bias.assign(tf.add(kept[1], tf.mul(tf.oneHot([EOS_ID], bias.shape[0]).reshape(bias.shape), PEAK.eosBias)));
    });
    return {
      greedy: translateIds(model, sources, { maxLength: U }),
      beam: translateIds(model, sources, { maxLength: U, beamWidth: BEAM_WIDTH }),
    };
  } finally {
    weight.assign(kept[0]);
    bias.assign(kept[1]);
    tf.dispose(kept);
  }
}

/** y_1 … up to (not including) the first <eos>. */
function untilEos(tokens: readonly number[]): number[] {
  const end = tokens.indexOf(EOS_ID);
  return end < 0 ? [...tokens] : tokens.slice(0, end);
}

export default async function run({ reps }: { reps: number }): Promise<BenchRow[]> {
  const random = mulberry32(7);
  const sources = randomRows(random, CONFIG.sourceVocabSize, T / 2 - 1, T - 1); // + <eos> → T_b in [T/2, T]
  const targets = randomRows(random, CONFIG.targetVocabSize, U / 2 - 1, U - 1); // + <sos>/<eos> → U_b in [U/2, U]
  const batch = translationBatch(sources, targets);
  const model = new Seq2Seq(CONFIG);
  const weights = model.namedWeights();
  const varList = Object.values(weights);
  const kernel = defaultRnnKernel(); // what Seq2Seq's RnnStacks run (it has no kernel option)
  const tensorsBefore = tf.memory().numTensors;

  // What PyTorch must reproduce, from the initial weights: the eval-mode loss and greedy outputs.
  // Loss alone is weak (≈ ln V at initialisation); the global gradient norm checks the backward pass.
  const [evalLoss, gradNorm] = lossAndGradNorm(() => model.loss(batch, { training: false, labelSmoothing: LABEL_SMOOTHING }), varList);
  const greedy = translateIds(model, sources, { maxLength: U });
  const greedySteps = Math.max(...greedy.map((h) => h.tokens.length + (h.finished ? 1 : 0)));
  const beam = translateIds(model, sources, { maxLength: U, beamWidth: BEAM_WIDTH });
  const peak = peakedOutputs(model, sources);
  const torchArgs = {
    warmup: 2,
    reps,
    config: CONFIG,
    learningRate: LEARNING_RATE,
    clipNorm: CLIP_NORM,
    labelSmoothing: LABEL_SMOOTHING,
    adamEpsilon: ADAM_EPSILON,
    greedySteps,
    beamWidth: BEAM_WIDTH,
    maxLength: U,
    peak: PEAK,
    weights: packWeights(weights),
    batch: {
      src: batch.source.arraySync(),
      src_len: batch.sourceLengths,
      tgt_in: batch.targetIn.arraySync(),
      tgt_out: batch.targetOut.arraySync(),
      tgt_len: batch.targetLengths,
    },
  };

  const optimizer: tf.Optimizer = adam(LEARNING_RATE); // the recipe's (recipes/translation/train.ts), as trainLoop sees it
  const trainStep = () => {
    const loss = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(
        () => model.loss(batch, { training: true, labelSmoothing: LABEL_SMOOTHING }),
        varList,
      );
      optimizer.applyGradients(clipByGlobalNorm(grads, CLIP_NORM));
      return value;
    });
    loss.dataSync();
    loss.dispose();
  };
  // Greedy first, with the initial weights PyTorch decodes with: after a few training steps the
  // model learns to stop early (every target ends in <eos>) and would decode fewer steps.
  const stepsSeen = new Set<number>();
  const inferMs = await timeMedian(
    () => {
      const hyps = translateIds(model, sources, { maxLength: U });
      stepsSeen.add(Math.max(...hyps.map((h) => h.tokens.length + (h.finished ? 1 : 0))));
    },
    { warmup: 2, reps },
  );
  console.error(`seq2seq: ${INFER} done`);
  const beamMs = await timeMedian(() => translateIds(model, sources, { maxLength: U, beamWidth: BEAM_WIDTH }), { warmup: 1, reps });
  console.error(`seq2seq: ${BEAM} done`);
  const trainMs = await timeMedian(trainStep, { warmup: 2, reps });
  console.error(`seq2seq: ${TRAIN} done`);
  optimizer.dispose();
  const leaked = tf.memory().numTensors - tensorsBefore;
  model.dispose();
  disposeBatch(batch);

  const leakNote = `, ${leaked} tensors leaked over ${3 * reps + 8} calls`;
  const rows: BenchRow[] = [
    { workload: TRAIN, system: 'sori', medianMs: trainMs, note: `${CPU_CLOCK ? 'CPU time (both sides), ' : ''}${tf.getBackend()}, rnn kernel ${kernel}${leakNote}` },
    { workload: INFER, system: 'sori', medianMs: inferMs, note: `${[...stepsSeen].join(', ')} decoder steps` },
    { workload: BEAM, system: 'sori', medianMs: beamMs, note: `${B}·${BEAM_WIDTH} rows per decoder step, length penalty α 1, maxLength ${U}` },
  ];
  const ran = await runTorch(CPU_CLOCK ? TORCH_SCRIPT.replaceAll('time.perf_counter()', 'time.process_time()') : TORCH_SCRIPT, torchArgs);
  if (ran) {
    const { out: torch, env } = ran;
    const sameBeam = beam.filter((h, b) => JSON.stringify(h.tokens) === JSON.stringify(torch.beamTokens[b])).length;
    const samePeakBeam = peak.beam.filter((h, b) => JSON.stringify(h.tokens) === JSON.stringify(torch.peakBeam[b])).length;
    const samePeakGreedy = peak.greedy.filter((h, b) => JSON.stringify(h.tokens) === JSON.stringify(untilEos(torch.peakGreedy[b]))).length;
    const lengths = (hyps: { tokens: number[] }[]) => `${Math.min(...hyps.map((h) => h.tokens.length))}–${Math.max(...hyps.map((h) => h.tokens.length))}`;
    const peakNote = (same: number, hyps: { tokens: number[] }[]) => `${same}/${B} with W_o × ${PEAK.outputScale}, b_eos + ${PEAK.eosBias} (${hyps.filter((h) => (h as { finished?: boolean }).finished).length} finished, ${lengths(hyps)} symbols)`;
    const same = greedy.filter((h, b) => JSON.stringify(h.tokens) === JSON.stringify(untilEos(torch.greedyTokens[b]))).length;
    rows.push(
      { workload: TRAIN, system: 'pytorch', medianMs: torch.train, note: torchNote(env, `eval loss ${evalLoss.toFixed(5)}, |Δ| ${Math.abs(evalLoss - torch.evalLoss).toExponential(1)}; ‖grad‖ ${gradNorm.toFixed(4)}, |Δ| ${Math.abs(gradNorm - torch.gradNorm).toExponential(1)}`), torch: env },
      { workload: INFER, system: 'pytorch', medianMs: torch.infer, note: torchNote(env, `same greedy output in ${same}/${B} rows; ${peakNote(samePeakGreedy, peak.greedy)}`), torch: env },
      { workload: BEAM, system: 'pytorch', medianMs: torch.beam, note: torchNote(env, `${torch.beamSteps} decoder steps; same best hypothesis in ${sameBeam}/${B} rows; ${peakNote(samePeakBeam, peak.beam)}`), torch: env },
    );
  }
  return [TRAIN, INFER, BEAM].flatMap((w) => rows.filter((r) => r.workload === w));
}
