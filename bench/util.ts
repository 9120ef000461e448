/**
 * Benchmark helpers: a median timer, the thread count of this run and a bridge to PyTorch for
 * side-by-side numbers that records which BLAS torch really ran on.
 *
 * bench/run.ts starts one process per thread count N with SORI_THREADS = OPENBLAS_NUM_THREADS =
 * OMP_NUM_THREADS = N; `benchThreads()` reads it back, and every PyTorch script run through
 * `runTorch` calls torch.set_num_threads(N) first and reports, after its own result, the BLAS
 * library mapped into its process (/proc/self/maps), OpenBLAS's build and thread count, and
 * torch.get_num_threads().
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs';
import { globalNorm } from '../src/index.ts';

/** What a PyTorch process ran on, read inside it after the workload. */
export interface TorchEnv {
  torch: string;
  /** torch.get_num_threads() */
  torchThreads: number;
  /** BLAS/LAPACK shared objects in /proc/self/maps, each with its real file. */
  blas: { path: string; realPath: string }[];
  /** openblas_get_config() ('' when the library is not OpenBLAS). */
  blasConfig: string;
  /** openblas_get_num_threads() (null when the library is not OpenBLAS). */
  blasThreads: number | null;
  /** OPENBLAS_NUM_THREADS, OMP_NUM_THREADS, MKL_NUM_THREADS, LD_LIBRARY_PATH as the process saw them. */
  env: Record<string, string | null>;
}

/** One row of the benchmark table. */
export interface BenchRow {
  workload: string;
  system: string;
  medianMs: number;
  /** Thread count the run asked for (SORI_THREADS for sori rows, torch.set_num_threads for PyTorch rows); run.ts fills it in. */
  threads?: number;
  note?: string;
  /** PyTorch rows: what that process ran on. */
  torch?: TorchEnv;
  /** Rows of a matrix product: GFLOP/s reached (2·M·N·K / time). */
  gflops?: number;
}

/** Median wall time in milliseconds of `fn` over `reps` runs after `warmup` runs. */
export async function timeMedian(
  fn: () => unknown | Promise<unknown>,
  { warmup = 2, reps = 5 }: { warmup?: number; reps?: number } = {},
): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const mid = times.length >> 1;
  return times.length % 2 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
}

/** N: the thread count of this run (SORI_THREADS, set by run.ts; 1 when unset). */
export function benchThreads(): number {
  const value = process.env.SORI_THREADS;
  if (value === undefined || value === '') return 1;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`SORI_THREADS: expected a positive integer, got '${value}'`);
  return n;
}

/** The note of a PyTorch row: its thread count and anything the workload adds. */
export const torchNote = (env: TorchEnv, extra?: string) =>
  [`${env.torchThreads} thread${env.torchThreads === 1 ? '' : 's'}, BLAS ${env.blasThreads ?? '?'}`, extra].filter(Boolean).join('; ');

/** Every named weight packed for a PyTorch script (sori's names, which the scripts map to PyTorch's). */
export function packWeights(weights: Record<string, tf.Tensor>): Record<string, { shape: number[]; data: string }> {
  return Object.fromEntries(Object.entries(weights).map(([k, v]) => [k, packWeight(v)]));
}

/**
 * What the PyTorch side must reproduce from the same weights before any timing: the loss and
 * the global norm of its gradient with respect to `vars`, read back as numbers.
 */
export function lossAndGradNorm(loss: () => tf.Scalar, vars: tf.Variable[]): [number, number] {
  return tf.tidy(() => {
    const { value, grads } = tf.variableGrads(loss, vars);
    return [value.dataSync()[0], globalNorm(grads).dataSync()[0]] as [number, number];
  });
}

/** A weight as base64 float32 bytes for a PyTorch script (a million floats as JSON text would be ~20 MB). */
export function packWeight(v: tf.Tensor): { shape: number[]; data: string } {
  const values = v.dataSync() as Float32Array;
  return { shape: v.shape, data: Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64') };
}

export const TORCH_PYTHON = '/usr/bin/python3';

let torchAvailable: boolean | null = null;

/** True where /usr/bin/python3 can import torch (Debian's python3-torch) and the run has not turned it off (--no-torch). */
export function hasTorch(): boolean {
  if (process.env.SORI_BENCH_TORCH === '0') return false;
  if (torchAvailable === null) {
    const r = spawnSync(TORCH_PYTHON, ['-c', 'import torch'], { stdio: 'ignore' });
    torchAvailable = r.status === 0;
  }
  return torchAvailable;
}

/** Runs before every script: N threads for torch (BLAS threads come from the environment). */
const PREAMBLE = String.raw`
import os as _os, torch as _torch
_torch.set_num_threads(int(_os.environ.get('SORI_THREADS') or 1))
`;

/** Runs after every script: one more JSON line, what the process ran on. */
const EPILOGUE = String.raw`
import ctypes as _ctypes, json as _json, os as _os, torch as _torch
_paths = sorted({l.split()[-1] for l in open('/proc/self/maps') if '/' in l and ('blas' in l.split()[-1] or 'lapack' in l.split()[-1])})
_config, _threads = '', None
for _p in _paths:
    try:
        _lib = _ctypes.CDLL(_p)
        _lib.openblas_get_config.restype = _ctypes.c_char_p
        _config, _threads = _lib.openblas_get_config().decode(), _lib.openblas_get_num_threads()
        break
    except (OSError, AttributeError):
        pass
print(_json.dumps({
    'torch': _torch.__version__, 'torchThreads': _torch.get_num_threads(),
    'blas': [{'path': _p, 'realPath': _os.path.realpath(_p)} for _p in _paths],
    'blasConfig': _config, 'blasThreads': _threads,
    'env': {k: _os.environ.get(k) for k in ('OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS', 'LD_LIBRARY_PATH')},
}))
`;

/**
 * Run a Python script under /usr/bin/python3 with `args` as JSON on stdin. The script prints its
 * result as JSON on its last line; returns that as `out` with `env`, what the process ran on.
 * Thread counts come from run.ts's environment (N = SORI_THREADS); SORI_BENCH_BLAS_DIR, when set,
 * goes first on LD_LIBRARY_PATH, so torch loads that directory's libblas.so.3. Returns null where
 * torch cannot be imported.
 */
export async function runTorch(script: string, args: object): Promise<{ out: any; env: TorchEnv } | null> {
  if (!hasTorch()) return null;
  const n = String(benchThreads());
  const blasDir = process.env.SORI_BENCH_BLAS_DIR;
  const env = {
    ...process.env,
    SORI_THREADS: n,
    OPENBLAS_NUM_THREADS: n,
    OMP_NUM_THREADS: n,
    MKL_NUM_THREADS: n,
    ...(blasDir ? { LD_LIBRARY_PATH: [blasDir, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') } : {}),
  };
  const stdout = execFileSync(TORCH_PYTHON, ['-c', `${PREAMBLE}\n${script}\n${EPILOGUE}`], {
    input: JSON.stringify(args),
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    env,
  });
  const lines = stdout.trim().split('\n');
  return { out: JSON.parse(lines[lines.length - 2]), env: JSON.parse(lines[lines.length - 1]) };
}

/**
 * The end of a PyTorch training-step script: Adam (a.learningRate, a.adamEpsilon), clipping to
 * a.clipNorm, a.warmup untimed steps, then the median of a.reps timed ones, printed as JSON with
 * the script's `eval_loss` and `grad_norm`. The script defines `model` and `loss_of()`.
 */
export const TORCH_TIMED_TRAINING = `opt = torch.optim.Adam(model.parameters(), lr=a['learningRate'], eps=a['adamEpsilon'])
def train():
    opt.zero_grad()
    loss = loss_of()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), a['clipNorm'])
    opt.step()
    return loss.item()
for _ in range(a['warmup']):
    train()
times = []
for _ in range(a['reps']):
    t0 = time.perf_counter(); train(); times.append((time.perf_counter() - t0) * 1000)
print(json.dumps({'evalLoss': eval_loss, 'gradNorm': grad_norm, 'train': statistics.median(times)}))
`;
