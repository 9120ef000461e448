/**
 * The lecture's one-minute stock price problem (1분 단위 주식가격 예측): forecast the next K
 * minutes of AAPL's return, log volume and high–low range from the bars before them.
 *
 *   npm run recipe -- stock [--horizon K] [--data FILE.csv] [--stage N] [--stop-stage N] [--resume]
 *                           [--section.key=value]
 *
 * Stage 1  prepare    read the CSV, split by day (train 5 days, dev, test), fit the feature and
 *                     target standardisation on the training days
 * Stage 2  baselines  training means; AR(τ) per target by least squares, τ chosen on dev
 * Stage 3  train      GRU + regression head: the one-step model (many-to-one) and, for K > 1,
 *                     the K-minute model (many-to-many) → exp/stock/model
 * Stage 4  evaluate   every method on dev and test, MAE/RMSE per target and horizon
 * Stage 5  report     exp/stock/RESULTS.md
 * Stage 6  demo       `sori forecast` on the test day → exp/stock/forecast/test.tsv
 * Stage 7  plots      training curves and the test day's forecasts → exp/stock/plots/, report.html
 *
 * Everything it makes goes under exp/stock/ (or --exp-dir).
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  forecastLines,
  loadForecaster,
  parseRecipeArgs,
  readJsonFile,
  runStages,
  writeFileAtomic,
  writeJsonAtomic,
  writeResults,
} from '../../src/index.ts';
import { fitBaselines, type FittedBaselines } from './baselines.ts';
import { config as defaults } from './config.ts';
import { loadStockData, prepareStockData, SPLITS } from './data.ts';
import { evaluateSplit, type MethodScores } from './evaluate.ts';
import { resultsBody } from './report.ts';
import { drawReport } from './plots.ts';
import { trainForecaster } from './train.ts';

export default async function run(argv: string[]): Promise<void> {
  const t0 = performance.now();
  const args = parseRecipeArgs('stock', argv, defaults, { horizon: 'model.horizon', data: 'data.csv' });
  const { config: cfg, expDir } = args;
  const K = cfg.model.horizon;
  const prepared = join(expDir, 'data', 'prepared.json');
  const baselinesPath = join(expDir, 'baselines.json');
  const modelDir = join(expDir, 'model');
  const oneStepDir = K > 1 ? join(expDir, 'model-1step') : modelDir;
  const evalDir = join(expDir, 'eval');
  const evalSplits = SPLITS.filter((s) => s !== 'train');
  const data = () => loadStockData(cfg, prepared);
  const baselines = (): FittedBaselines => readJsonFile(baselinesPath) as FittedBaselines;

  await runStages(
    [
      {
        n: 1,
        name: 'prepare (split by day, standardisation fitted on the training days)',
        config: { data: cfg.data },
        inputs: () => [cfg.data.csv],
        done: () => existsSync(prepared),
        run: () => prepareStockData(cfg, prepared),
      },
      {
        n: 2,
        name: 'baselines (training mean; AR(τ) by least squares, τ chosen on dev)',
        config: { ar: cfg.ar },
        done: () => existsSync(baselinesPath),
        run: () => void fitBaselines(cfg, data(), baselinesPath),
      },
      {
        n: 3,
        name: `train (${cfg.model.cell.toUpperCase()} H=${cfg.model.hiddenSize} + regression head, ${cfg.train.loss.toUpperCase()} loss)`,
        config: { model: cfg.model, train: cfg.train },
        resumeWith: { model: cfg.model, train: { ...cfg.train, epochs: null } }, // more epochs continue the training
        done: () => existsSync(join(modelDir, 'model.json')) && existsSync(join(oneStepDir, 'model.json')),
        // a training of other settings is never resumed (nor a finished model kept) as this one
        clean: () =>
          [join(expDir, 'train'), join(expDir, 'train-1step'), modelDir, oneStepDir].forEach((p) => rmSync(p, { recursive: true, force: true })),
        run: async () => {
          if (args.force && !args.resume) {
            // --force: both models from scratch (their checkpoints too)
            for (const dir of [join(expDir, 'train'), join(expDir, 'train-1step')]) rmSync(dir, { recursive: true, force: true });
          }
          const d = data();
          const models = K > 1 ? [{ horizon: 1, name: '1step' }, { horizon: K, name: '' }] : [{ horizon: 1, name: '' }];
          for (const { horizon, name } of models) {
            const dir = name ? join(expDir, `model-${name}`) : modelDir;
            if (args.resume && existsSync(join(dir, 'model.json'))) continue; // finished before the run stopped
            console.log(`  ${horizon === 1 ? 'one-step model (many-to-one)' : `${horizon}-minute model (many-to-many)`}`);
            await trainForecaster({
              cfg,
              model: { ...cfg.model, horizon },
              data: d,
              trainDir: join(expDir, name ? `train-${name}` : 'train'),
              modelDir: dir,
              resume: args.resume,
            });
          }
        },
      },
      {
        n: 4,
        name: 'evaluate (every method on dev and test)',
        config: {},
        done: () => evalSplits.every((s) => existsSync(join(evalDir, `${s}.json`))),
        run: () => {
          const d = data();
          for (const split of evalSplits) {
            const scores = evaluateSplit({ data: d, baselines: baselines(), split, modelDir, oneStepDir });
            writeJsonAtomic(join(evalDir, `${split}.json`), scores);
            const mae1 = (name: string) => scores[name].mae[0].map((v) => v.toPrecision(3)).join(' / ');
            console.log(`  ${split}, next minute, MAE return / logvolume / range: rnn ${mae1('rnn')}; persistence ${mae1('persistence')}; AR ${mae1('AR(τ)')}`);
          }
        },
      },
      {
        n: 5,
        name: 'report (RESULTS.md)',
        run: () => {
          const scores: Record<string, MethodScores> = {};
          for (const split of evalSplits) scores[split] = readJsonFile(join(evalDir, `${split}.json`)) as MethodScores;
          const intro = [
            `${cfg.model.cell.toUpperCase()} ${cfg.model.numLayers}×${cfg.model.hiddenSize}, window T = ${cfg.model.window} minutes, ` +
              `horizon K = ${K}, ${cfg.train.loss.toUpperCase()} loss, ${cfg.train.epochs} epochs; ` +
              `train ${cfg.data.trainDays.join(', ')}; dev ${cfg.data.devDays.join(', ')}; test ${cfg.data.testDays.join(', ')}.`,
            '"rnn" predicts all K minutes at once; "rnn 1-step repeated" is the one-step model fed its own predictions.',
          ].join('\n');
          const body = resultsBody({ scores, baselines: baselines(), horizon: K, intro });
          writeResults(expDir, { title: 'stock: one-minute AAPL forecasting', body, scores });
        },
      },
      {
        n: 6,
        name: 'demo (sori forecast on the test day)',
        run: () => {
          const d = data();
          const loaded = loadForecaster(modelDir);
          const testDays = new Set(cfg.data.testDays);
          const lines = forecastLines(loaded, d.series.bars).filter((l) => testDays.has(l.slice(0, 10)));
          loaded.dispose();
          const out = join(expDir, 'forecast', 'test.tsv');
          writeFileAtomic(out, lines.join('\n') + '\n');
          console.log(`  sori forecast --model ${modelDir} --data ${cfg.data.csv} → ${out} (${lines.length} lines), e.g.`);
          for (const l of lines.slice(0, 3)) console.log(`    ${l}`);
        },
      },
      {
        n: 7,
        name: 'plots and report (training curves, the test day actual against forecast)',
        run: () =>
          drawReport(
            {
              expDir,
              data: data(),
              oneStepDir,
              trained: K > 1
                ? [{ name: 'one-step', trainDir: join(expDir, 'train-1step') }, { name: `${K}-minute`, trainDir: join(expDir, 'train') }]
                : [{ name: 'one-step', trainDir: join(expDir, 'train') }],
            },
            cfg,
          ),
      },
    ],
    args,
  );
  console.log(`stock: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
