/**
 * `npm run bench [-- NAME ...] [--reps N] [--json FILE]`
 *
 * Runs each workload file bench/NAME.ts (all of them when none is named) and prints one table:
 * workload, system, median milliseconds, and the ratio to PyTorch on the same workload where
 * PyTorch ran in the same process run.
 */
import { readdirSync } from 'node:fs';
import { writeFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { initBackend } from '../src/index.ts';
import type { BenchRow } from './util.ts';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && f !== 'util.ts')
  .map((f) => f.slice(0, -3))
  .sort();

const argv = await yargs(hideBin(process.argv))
  .command('$0 [names..]', 'run the named workloads (default: all)')
  .positional('names', { type: 'string', array: true })
  .option('reps', { type: 'number', default: 5, describe: 'timed repetitions (median reported)' })
  .option('json', { type: 'string', describe: 'also write the rows to this JSON file' })
  .option('backend', { type: 'string', describe: 'node | wasm | cpu' })
  .strict()
  .parseAsync();

const names = argv.names?.length ? argv.names.map(String) : available;
for (const n of names) {
  if (!available.includes(n)) {
    console.error(`bench: unknown workload '${n}' (available: ${available.join(', ')})`);
    process.exit(1);
  }
}

const backend = await initBackend(argv.backend);
console.log(`backend: ${backend.name}`);
const rows: BenchRow[] = [];
for (const n of names) {
  const mod = await import(`./${n}.ts`);
  const got: BenchRow[] = await mod.default({ reps: argv.reps });
  rows.push(...got);
}

const torchMs = new Map(rows.filter((r) => r.system === 'pytorch').map((r) => [r.workload, r.medianMs]));
const table = rows.map((r) => {
  const ref = torchMs.get(r.workload);
  const ratio = r.system !== 'pytorch' && ref ? (r.medianMs / ref).toFixed(2) : '';
  return [r.workload, r.system, r.medianMs.toFixed(2), ratio, r.note ?? ''];
});
const header = ['workload', 'system', 'median ms', '÷ pytorch', 'note'];
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
const fmt = (row: string[]) => row.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
console.log(fmt(header));
for (const row of table) console.log(fmt(row));

if (argv.json) {
  const tmp = `${argv.json}.tmp`;
  await writeFile(tmp, JSON.stringify(rows, null, 2) + '\n');
  await rename(tmp, argv.json);
}
