/**
 * `npm run bench [-- NAME ...] [--reps N] [--threads N[,N…]] [--torch-blas WHICH] [--no-torch] [--json FILE]`
 *
 * Runs each workload file bench/NAME.ts (all of them when none is named) once per thread count N
 * (default 1), each N in a process of its own started with SORI_THREADS = OPENBLAS_NUM_THREADS =
 * OMP_NUM_THREADS = N (read by sori's native module when it initialises, and by OpenBLAS when
 * torch loads it; PyTorch also gets torch.set_num_threads(N)). Prints, first, what each side ran
 * on (sori: backend, native module, threads; PyTorch: the BLAS library mapped into its process,
 * OpenBLAS's build and thread count, torch.get_num_threads()), then one table: workload, N,
 * system, median milliseconds, and the ratio to the PyTorch row of the same workload and N; last,
 * the ratios of each workload's first sori row (its default path) with one column per N.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { writeFile, rename } from 'node:fs/promises';
import { tmpdir, cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import type { BenchRow, TorchEnv } from './util.ts';
import { soriInfo, type SoriInfo } from './sori-info.ts';

const here = dirname(fileURLToPath(import.meta.url));
const NOT_WORKLOADS = new Set(['run.ts', 'util.ts', 'sori-info.ts']);
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && !NOT_WORKLOADS.has(f))
  .map((f) => f.slice(0, -3))
  .sort();

const LIB = '/usr/lib/x86_64-linux-gnu';
const TORCH_BLAS = ['auto', 'system', 'serial', 'openmp', 'pthread'] as const;

const argv = await yargs(hideBin(process.argv))
  .command('$0 [names..]', 'run the named workloads (default: all)')
  .positional('names', { type: 'string', array: true })
  .option('reps', { type: 'number', default: 5, describe: 'timed repetitions (median reported)' })
  .option('threads', { type: 'string', default: '1', describe: 'thread counts N, comma-separated (e.g. 1,2): one run of every workload per N' })
  .option('torch-blas', {
    choices: TORCH_BLAS,
    default: 'auto' as (typeof TORCH_BLAS)[number],
    describe: `libblas.so.3 for PyTorch: the system's (update-alternatives), or ${LIB}/openblas-{serial,openmp,pthread}; auto = the system's, unless some N > 1 and the system's is single-threaded: then openmp, else pthread, where installed`,
  })
  .option('torch', { type: 'boolean', default: true, describe: 'run the PyTorch side (--no-torch: sori rows only)' })
  .option('json', { type: 'string', describe: 'also write what each side ran on and the rows to this JSON file' })
  .option('backend', { type: 'string', describe: 'node | wasm | cpu' })
  .option('child-out', { type: 'string', hidden: true, describe: 'internal: run one N in this process and write its rows here' })
  .strict()
  .parseAsync();

const names = argv.names?.length ? argv.names.map(String) : available;
for (const n of names) {
  if (!available.includes(n)) {
    console.error(`bench: unknown workload '${n}' (available: ${available.join(', ')})`);
    process.exit(1);
  }
}

interface RunResult {
  threads: number;
  sori: SoriInfo;
  rows: BenchRow[];
}

if (argv.childOut) {
  // One thread count, in this process: SORI_THREADS was set before anything of sori loaded.
  const { initBackend } = await import('../src/index.ts');
  const { benchThreads } = await import('./util.ts');
  const backend = await initBackend(argv.backend);
  const threads = benchThreads();
  const rows: BenchRow[] = [];
  for (const n of names) {
    const mod = await import(`./${n}.ts`);
    const got: BenchRow[] = await mod.default({ reps: argv.reps });
    rows.push(...got.map((r) => ({ ...r, threads })));
  }
  const sori = await soriInfo(backend.name);
  if (threads > 1 && !sori.threadedProducts) {
    // Nothing of sori reads SORI_THREADS yet: say so on every sori row of this N.
    for (const r of rows) if (r.system !== 'pytorch') r.note = [r.note, `SORI_THREADS=${threads} has no effect yet (1 thread)`].filter(Boolean).join('; ');
  }
  const result: RunResult = { threads, sori, rows };
  await writeFile(argv.childOut, JSON.stringify(result));
  process.exit(0);
}

const threadList = argv.threads.split(',').map((s) => {
  const n = Number(s.trim());
  if (!Number.isInteger(n) || n < 1) {
    console.error(`bench: --threads: expected positive integers separated by commas, got '${argv.threads}'`);
    process.exit(1);
  }
  return n;
});
const threadCounts = [...new Set(threadList)];

/** The directory whose libblas.so.3 PyTorch loads ('' = the system's), and why. */
function torchBlasDir(): { dir: string; why: string } {
  const system = existsSync(`${LIB}/libblas.so.3`) ? realpathSync(`${LIB}/libblas.so.3`) : '';
  const installed = (v: string) => existsSync(`${LIB}/openblas-${v}/libblas.so.3`);
  const choice = argv.torchBlas;
  if (choice === 'system') return { dir: '', why: `--torch-blas system (${system || 'none found'})` };
  if (choice !== 'auto') {
    if (!installed(choice)) {
      console.error(`bench: --torch-blas ${choice}: ${LIB}/openblas-${choice}/libblas.so.3 is not installed (apt-get install libopenblas0-${choice})`);
      process.exit(1);
    }
    return { dir: `${LIB}/openblas-${choice}`, why: `--torch-blas ${choice}` };
  }
  const threaded = /openblas-(openmp|pthread)\//.test(system);
  if (threadCounts.every((n) => n === 1) || threaded) return { dir: '', why: `the system's libblas.so.3 (${system || 'none found'})` };
  const pick = (['openmp', 'pthread'] as const).find(installed);
  if (!pick) {
    return { dir: '', why: `the system's libblas.so.3 (${system}), single-threaded: no threaded OpenBLAS installed (apt-get install libopenblas0-openmp), so PyTorch's products run on 1 thread at every N` };
  }
  return { dir: `${LIB}/openblas-${pick}`, why: `${LIB}/openblas-${pick} (some N > 1 and the system's ${system} is single-threaded), for every N` };
}

const blas = torchBlasDir();
const scratch = mkdtempSync(join(tmpdir(), 'sori-bench-'));
const runs: RunResult[] = [];
const started = new Date();
for (const n of threadCounts) {
  const out = join(scratch, `threads-${n}.json`);
  const args = [...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2), '--child-out', out];
  const env = {
    ...process.env,
    SORI_THREADS: String(n),
    OPENBLAS_NUM_THREADS: String(n),
    OMP_NUM_THREADS: String(n),
    MKL_NUM_THREADS: String(n),
    SORI_BENCH_BLAS_DIR: blas.dir,
    SORI_BENCH_TORCH: argv.torch ? '1' : '0',
  };
  console.error(`bench: N = ${n} thread${n === 1 ? '' : 's'}`);
  const child = spawnSync(process.execPath, args, { env, stdio: 'inherit' });
  if (child.status !== 0) {
    console.error(`bench: the run with N = ${n} failed (exit ${child.status ?? child.signal})`);
    process.exit(1);
  }
  runs.push(JSON.parse(readFileSync(out, 'utf8')));
}
rmSync(scratch, { recursive: true, force: true });

// What each side ran on.
const cpu = cpus()[0]?.model ?? 'unknown CPU';
console.log(`machine: ${cpu}, ${cpus().length} cores, Node ${process.versions.node}, 1-minute load ${loadavg()[0].toFixed(2)} at the end`);
console.log(argv.torch ? `pytorch BLAS: ${blas.why}` : 'pytorch: not run (--no-torch)');
for (const run of runs) {
  console.log(`sori N=${run.threads}: ${run.sori.summary}`);
  const envs = new Map<string, TorchEnv>();
  for (const r of run.rows) if (r.torch) envs.set(JSON.stringify(r.torch), r.torch);
  for (const env of envs.values()) console.log(`pytorch N=${run.threads}: ${describeTorch(env)}`);
}

function describeTorch(env: TorchEnv): string {
  const lib = env.blas.find((b) => /libblas\.so/.test(b.path)) ?? env.blas[0];
  const file = lib ? (lib.realPath === lib.path ? lib.path : `${lib.path} → ${lib.realPath}`) : 'no BLAS mapped';
  const vars = Object.entries(env.env).filter(([k, v]) => v !== null && k !== 'LD_LIBRARY_PATH').map(([k, v]) => `${k}=${v}`);
  const warn = env.blasConfig.includes('SINGLE_THREADED') && env.torchThreads > 1 ? ' (a SINGLE_THREADED build: its products run on 1 thread)' : '';
  return `torch ${env.torch}, torch.get_num_threads() ${env.torchThreads}; BLAS ${file}${env.blasConfig ? ` (${env.blasConfig})` : ''}, openblas_get_num_threads() ${env.blasThreads ?? 'n/a'}${warn}; ${vars.join(' ')}`;
}

// One table, each workload's rows for every N together.
const rows = runs.flatMap((r) => r.rows);
const workloads = [...new Set(rows.map((r) => r.workload))];
const torchMs = new Map(rows.filter((r) => r.system === 'pytorch').map((r) => [`${r.workload}\t${r.threads}`, r.medianMs]));
const table = workloads.flatMap((w) =>
  threadCounts.flatMap((n) =>
    rows
      .filter((r) => r.workload === w && r.threads === n)
      .map((r) => {
        const ref = torchMs.get(`${r.workload}\t${r.threads}`);
        const ratio = r.system !== 'pytorch' && ref ? (r.medianMs / ref).toFixed(2) : '';
        return [r.workload, String(r.threads), r.system, r.medianMs.toFixed(2), ratio, r.note ?? ''];
      }),
  ),
);
const header = ['workload', 'N', 'system', 'median ms', '÷ pytorch', 'note'];
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
const fmt = (row: string[]) => row.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
console.log(fmt(header));
for (const row of table) console.log(fmt(row));

// Ratios side by side: each workload's first sori row (the default path) ÷ PyTorch, one column per N.
const ratioRows = workloads.flatMap((w) => {
  const first = rows.find((r) => r.workload === w && r.system.startsWith('sori'));
  if (!first || !threadCounts.some((n) => torchMs.has(`${w}\t${n}`))) return [];
  const cells = threadCounts.map((n) => {
    const sori = rows.find((r) => r.workload === w && r.threads === n && r.system === first.system);
    const ref = torchMs.get(`${w}\t${n}`);
    return sori && ref ? (sori.medianMs / ref).toFixed(2) : '';
  });
  return [[w, first.system, ...cells]];
});
if (ratioRows.length > 0) {
  const ratioHeader = ['workload', 'sori system', ...threadCounts.map((n) => `÷ pytorch N=${n}`)];
  const ratioWidths = ratioHeader.map((h, i) => Math.max(h.length, ...ratioRows.map((row) => row[i].length)));
  console.log('');
  for (const row of [ratioHeader, ...ratioRows]) console.log(row.map((c, i) => c.padEnd(ratioWidths[i])).join('  ').trimEnd());
}

if (argv.json) {
  const git = (...a: string[]) => {
    try {
      return execFileSync('git', a, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return '';
    }
  };
  const report = {
    started: started.toISOString(),
    finished: new Date().toISOString(),
    commit: git('rev-parse', 'HEAD'),
    machine: { cpu, cores: cpus().length, node: process.versions.node, loadavgAtEnd: loadavg() },
    threads: threadCounts,
    pytorchBlas: blas,
    sori: Object.fromEntries(runs.map((r) => [r.threads, r.sori])),
    rows,
  };
  const tmp = `${argv.json}.tmp`;
  await writeFile(tmp, JSON.stringify(report, null, 2) + '\n');
  await rename(tmp, argv.json);
}
