/**
 * Benchmark helpers: a median timer and a bridge to PyTorch for side-by-side numbers.
 */
import { execFileSync, spawnSync } from 'node:child_process';

/** One row of the benchmark table. */
export interface BenchRow {
  workload: string;
  system: string;
  medianMs: number;
  note?: string;
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

export const TORCH_PYTHON = '/usr/bin/python3';

let torchAvailable: boolean | null = null;

/** True where /usr/bin/python3 can import torch (Debian's python3-torch). */
export function hasTorch(): boolean {
  if (torchAvailable === null) {
    const r = spawnSync(TORCH_PYTHON, ['-c', 'import torch'], { stdio: 'ignore' });
    torchAvailable = r.status === 0;
  }
  return torchAvailable;
}

/**
 * Run a Python script under /usr/bin/python3 with `args` as JSON on stdin and parse the JSON it
 * prints last on stdout. Returns null where torch cannot be imported.
 */
export async function runTorch(script: string, args: object): Promise<any | null> {
  if (!hasTorch()) return null;
  const out = execFileSync(TORCH_PYTHON, ['-c', script], {
    input: JSON.stringify(args),
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const lines = out.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}
