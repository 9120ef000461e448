/**
 * Keras's `model.summary()` for a classifier: each layer's output shape and parameter count,
 * counted from the model's actual weights.
 *
 *   Embedding      V·E
 *   SimpleRNN      D·(H·F + H·H + H·n_b)           n_b = 1 bias vector (biases 'one', Keras)
 *   LSTM           D·4·(H·F + H·H + H·n_b)           or 2 (biases 'two', PyTorch)
 *   GRU            D·3·(H·F + H·H + H·n_b)
 *   Dense          K′·F_pool + K′
 *
 * The lecture's labs: Embedding(10000, 32) 320,000; SimpleRNN(32) 2,080; LSTM(32) 8,320;
 * Dense(1) 33 — with PyTorch's two biases, SimpleRNN 2,112 and LSTM 8,448.
 * An output dimension that varies per batch (T with ragged lengths) prints as None, as in Keras.
 */
import type { Classifier } from './classifier.ts';
import { encodedSize, logitCount } from './classifier.ts';
import { pooledSize } from './pooling.ts';

export interface SummaryRow {
  /** e.g. 'embedding (Embedding)' */
  layer: string;
  /** e.g. [null, null, 32]; null = None (batch, or steps that vary) */
  outputShape: (number | null)[];
  params: number;
}

const CELL_CLASS = { simple: 'SimpleRNN', lstm: 'LSTM', gru: 'GRU', mgu: 'MGU' } as const;
const CELL_NAME = { simple: 'simple_rnn', lstm: 'lstm', gru: 'gru', mgu: 'mgu' } as const;

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** The rows of the summary table, in layer order. */
export function summaryRows(model: Classifier): SummaryRow[] {
  const c = model.config;
  const T = c.pooling === 'flatten' ? c.maxLength : null;
  const F = encodedSize(c);
  const rows: SummaryRow[] = [
    { layer: 'embedding (Embedding)', outputShape: [null, T, c.embeddingSize], params: size(model.embedding.shape) },
  ];
  if (model.encoder) {
    const kind = model.encoder.cell.kind;
    const layer = c.bidirectional ? `bidirectional (Bidirectional(${CELL_CLASS[kind]}))` : `${CELL_NAME[kind]} (${CELL_CLASS[kind]})`;
    const params = model.encoder.trainableWeights.reduce((sum, w) => sum + w.size, 0);
    rows.push({ layer, outputShape: c.pooling === 'last' ? [null, F] : [null, T, F], params });
  }
  const pooled = pooledSize(c.pooling, F, c.maxLength);
  const poolName = {
    flatten: 'flatten (Flatten)',
    mean: 'global_average_pooling1d (GlobalAveragePooling1D)',
    max: 'global_max_pooling1d (GlobalMaxPooling1D)',
    'mean+max': 'mean_max_pooling (Concatenate[GlobalAverage, GlobalMax])',
    last: '',
  }[c.pooling];
  if (poolName) rows.push({ layer: poolName, outputShape: [null, pooled], params: 0 });
  if (c.dropout > 0) rows.push({ layer: 'dropout (Dropout)', outputShape: [null, pooled], params: 0 });
  const dense = size(model.dense.weight.shape) + (model.dense.bias ? size(model.dense.bias.shape) : 0);
  rows.push({ layer: 'dense (Dense)', outputShape: [null, logitCount(c)], params: dense });
  return rows;
}

/** Total trainable parameters. */
export function parameterCount(model: Classifier): number {
  return summaryRows(model).reduce((sum, r) => sum + r.params, 0);
}

const thousands = (n: number) => n.toLocaleString('en-US');

/** The summary as Keras prints it: a table of layer, output shape and parameter count, then the total. */
export function summary(model: Classifier): string {
  const rows = summaryRows(model);
  const shape = (s: (number | null)[]) => `(${s.map((d) => (d === null ? 'None' : String(d))).join(', ')})`;
  const w0 = Math.max(28, ...rows.map((r) => r.layer.length + 2));
  const w1 = 26;
  const line = (a: string, b: string, c: string) => a.padEnd(w0) + b.padEnd(w1) + c;
  const rule = (ch: string) => ch.repeat(w0 + w1 + 12);
  const out = [rule('_'), line('Layer (type)', 'Output Shape', 'Param #'), rule('=')];
  rows.forEach((r, i) => {
    out.push(line(r.layer, shape(r.outputShape), thousands(r.params)));
    out.push(i === rows.length - 1 ? rule('=') : rule('_'));
  });
  const total = parameterCount(model);
  out.push(`Total params: ${thousands(total)}`, `Trainable params: ${thousands(total)}`, 'Non-trainable params: 0', rule('_'));
  return out.join('\n');
}
