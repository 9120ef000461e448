/**
 * The stock recipe end to end on five synthetic days and a tiny model: prepare → baselines →
 * train (one-step and K-minute models) → evaluate → RESULTS.md → forecast lines; a second run
 * skips every finished stage; `sori forecast` reads the model it saved.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import runStock from '../../recipes/stock/run.ts';
import { forecastCsv } from '../../src/cli/forecast.ts';
import { syntheticCsv } from '../forecast/helpers.ts';

let root: string;
let csv: string;
let expDir: string;
let log: string[];

const args = () => [
  '--data', csv,
  '--exp-dir', expDir,
  '--data.trainDays=2024-05-10,2024-05-11,2024-05-12',
  '--data.devDays=2024-05-13',
  '--data.testDays=2024-05-14',
  '--horizon', '2',
  '--model.hiddenSize=4',
  '--model.window=8',
  '--train.epochs=2',
  '--train.batchSize=32',
  '--ar.orders=1,2',
];

async function run(extra: string[] = []): Promise<string[]> {
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  try {
    await runStock([...args(), ...extra]);
  } finally {
    spy.mockRestore();
  }
  return lines;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'sori-stock-'));
  csv = join(root, 'bars.csv');
  expDir = join(root, 'exp');
  writeFileSync(csv, syntheticCsv({ days: 5, barsPerDay: 40, seed: 2 }));
  log = await run();
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('stock recipe (tiny)', () => {
  it('runs its six stages and logs each', () => {
    for (let n = 1; n <= 6; n++) expect(log.some((l) => l.startsWith(`Stage ${n}:`))).toBe(true);
  });

  it('saves the K-minute model and the one-step model', () => {
    for (const dir of ['model', 'model-1step']) {
      expect(existsSync(join(expDir, dir, 'model.json'))).toBe(true);
      expect(existsSync(join(expDir, dir, 'weights.safetensors'))).toBe(true);
    }
    expect(JSON.parse(readFileSync(join(expDir, 'model', 'model.json'), 'utf8')).model.horizon).toBe(2);
  });

  it('writes RESULTS.md with every method on dev and test, per target and horizon', () => {
    const results = readFileSync(join(expDir, 'RESULTS.md'), 'utf8');
    for (const target of ['return', 'logvolume', 'range']) expect(results).toContain(`## ${target}`);
    for (const method of ['rnn', 'rnn 1-step repeated', 'persistence', 'zero', 'training mean']) {
      expect(results).toMatch(new RegExp(`\\| test \\| ${method} \\|`));
      expect(results).toMatch(new RegExp(`\\| dev \\| ${method} \\|`));
    }
    expect(results).toMatch(/\| test \| AR\([12]\) \|/);
    expect(results).toContain('MAE k=2');
    expect(results).toContain('dir. acc. k=1');
    expect(existsSync(join(expDir, 'scores.json'))).toBe(true);
  });

  it('writes the resolved config', () => {
    const config = JSON.parse(readFileSync(join(expDir, 'config.json'), 'utf8'));
    expect(config.model.horizon).toBe(2);
    expect(config.data.csv).toBe(csv);
  });

  it('forecasts every minute of the test day, three targets each', () => {
    const lines = readFileSync(join(expDir, 'forecast', 'test.tsv'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(40 * 3);
    expect(lines[0]).toMatch(/^2024-05-14 09:30:00-04:00\treturn\t-?[\d.e-]+$/);
    expect(lines.slice(0, 3).map((l) => l.split('\t')[1])).toEqual(['return', 'logvolume', 'range']);
  });

  it('skips every finished stage when run again', async () => {
    const again = await run();
    for (const n of [1, 2, 3, 4]) expect(again.some((l) => l.startsWith(`Stage ${n}:`) && l.includes('already done'))).toBe(true);
  });

  it('refuses to start over a stopped training without --resume', async () => {
    rmSync(join(expDir, 'model'), { recursive: true });
    await expect(run(['--stage', '3', '--stop-stage', '3'])).rejects.toThrow(/pass --resume/);
    await run(['--stage', '3', '--stop-stage', '3', '--resume']);
    expect(existsSync(join(expDir, 'model', 'model.json'))).toBe(true);
  });
});

describe('sori forecast', () => {
  it('writes one line per target for every minute with a full window, DATETIME as in the CSV', () => {
    const lines = forecastCsv({ model: join(expDir, 'model'), data: csv });
    const rows = readFileSync(csv, 'utf8').trim().split('\n').slice(1);
    expect(lines).toHaveLength((rows.length - 8) * 3); // window T = 8
    expect(lines[0].split('\t')[0]).toBe(rows[8].split(',')[0]);
    const [, , value] = lines[1].split('\t');
    expect(Number(value)).toBeGreaterThan(5); // logvolume in its own units, ln(1 + ~1e5)
  });

  it('names the line of a bad CSV', () => {
    const bad = join(root, 'bad.csv');
    writeFileSync(bad, readFileSync(csv, 'utf8').replace(/\n([^\n]*)\n/, (_, row) => `\n${row.replace(/,\d+$/, ',many')}\n`));
    expect(() => forecastCsv({ model: join(expDir, 'model'), data: bad })).toThrow(/bad\.csv, line 2: Volume 'many' is not a number/);
  });

  it('rejects a step beyond the model’s horizon', () => {
    expect(() => forecastCsv({ model: join(expDir, 'model'), data: csv, step: 3 })).toThrow(/step: expected an integer in \[1, 2\]/);
  });
});
