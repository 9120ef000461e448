/**
 * `sori forecast` as a command: registered, one line per target for every minute with a full
 * window on standard output, and a bad CSV's error naming the line with a non-zero exit.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  barSeries,
  createForecaster,
  disposeForecaster,
  FEATURES,
  fitStandardizer,
  forecasterDefaults,
  parseBarsCsv,
  saveForecaster,
  TARGETS,
} from '../../src/index.ts';
import { syntheticCsv } from '../forecast/helpers.ts';

let root: string;
let modelDir: string;
let csv: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'sori-forecast-cli-'));
  modelDir = join(root, 'model');
  csv = join(root, 'bars.csv');
  const text = syntheticCsv({ days: 1, barsPerDay: 20 });
  writeFileSync(csv, text);
  const series = barSeries(parseBarsCsv(text));
  const rows = Array.from({ length: 20 }, (_, n) => n);
  // An untrained model: this is about the command's plumbing, not the forecasts.
  const model = createForecaster({ ...forecasterDefaults, hiddenSize: 4, window: 6 });
  saveForecaster(modelDir, model, {
    featureScaler: fitStandardizer(series.features, FEATURES.length, rows),
    targetScaler: fitStandardizer(series.targets, TARGETS.length, rows, series.targetMask),
  });
  disposeForecaster(model);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('sori forecast', () => {
  it('prints DATETIME<TAB>TARGET<TAB>PREDICTED for each target of every minute with a full window', () => {
    const result = spawnSync('npx', ['tsx', 'src/cli/main.ts', 'forecast', '--model', modelDir, '--data', csv], { encoding: 'utf8' });
    expect(result.stderr).not.toMatch(/sori:/);
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength((20 - 6) * 3);
    expect(lines[0]).toMatch(/^2024-05-10 09:36:00-04:00\treturn\t-?[\d.e-]+$/);
    expect(lines[2].split('\t')[1]).toBe('range');
  });

  it('exits non-zero with the line of a minute out of order', () => {
    const rows = syntheticCsv({ days: 1, barsPerDay: 5 }).trim().split('\n');
    const bad = join(root, 'bad.csv');
    writeFileSync(bad, [rows[0], rows[1], rows[3], rows[2]].join('\n') + '\n');
    const result = spawnSync('npx', ['tsx', 'src/cli/main.ts', 'forecast', '--model', modelDir, '--data', bad], { encoding: 'utf8' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/bad\.csv, line 4: minute '2024-05-10 09:31:00-04:00' is not after .* \(minutes out of order\)/);
  });
});
