/**
 * `sori forecast --model DIR --data FILE.csv [--step K] [-o|--out FILE]`
 *
 * For every minute of the CSV that has a full input window, one line per target of the model:
 * `DATETIME<TAB>TARGET<TAB>PREDICTED`, DATETIME the predicted minute as written in the CSV,
 * PREDICTED in the target's own units (return = ln(Close_t/Close_{t−1}), logvolume =
 * ln(1 + Volume_t), range = ln(High_t/Low_t)). `--step k` takes the model's k-th minute ahead
 * (default 1, the next minute). A CSV with a missing column, an unparseable number or minutes
 * out of order is an error naming the line.
 */
import type { CommandModule } from 'yargs';
import { forecastLines, loadForecaster, readBarsCsv, writeFileAtomic } from '../index.ts';

interface ForecastArgs {
  model: string;
  data: string;
  step: number;
  out?: string;
}

/** The output lines of `sori forecast` for the model in `model` and the CSV `data`. */
export function forecastCsv({ model, data, step = 1 }: { model: string; data: string; step?: number }): string[] {
  const bars = readBarsCsv(data);
  const loaded = loadForecaster(model);
  try {
    return forecastLines(loaded, bars, { step });
  } finally {
    loaded.dispose();
  }
}

export const forecastCommand: CommandModule<object, ForecastArgs> = {
  command: 'forecast',
  describe: 'Forecast the return, log volume and range of every minute of a one-minute bars CSV with a forecaster model directory',
  builder: (y) =>
    y
      .option('model', { type: 'string', demandOption: true, describe: 'model directory (model.json, weights.safetensors), e.g. exp/stock/model' })
      .option('data', { type: 'string', demandOption: true, describe: 'CSV of one-minute bars: Datetime,Open,High,Low,Close[,Adj Close],Volume' })
      .option('step', { type: 'number', default: 1, describe: "which minute ahead to report, 1 … the model's horizon" })
      .option('out', { alias: 'o', type: 'string', describe: 'write the lines to this file (atomically) instead of standard output' }),
  handler: (argv) => {
    const lines = forecastCsv({ model: argv.model, data: argv.data, step: argv.step });
    const text = lines.length ? lines.join('\n') + '\n' : '';
    if (argv.out) return writeFileAtomic(argv.out, text);
    process.stdout.write(text); // a reader that stops early (`| head`): main.ts's pipe handler ends quietly
  },
};
