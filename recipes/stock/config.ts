/**
 * The one config file of the stock recipe. Override any key on the command line:
 *
 *   npm run recipe -- stock --horizon 5 --model.hiddenSize=64 --train.epochs=20
 */
import { forecasterDefaults, type ForecasterConfig, type RegressionLoss } from '../../src/index.ts';

export const config = {
  data: {
    /** One-minute AAPL bars (Datetime,Open,High,Low,Close,Adj Close,Volume); `--data` sets it. */
    csv: '../shared/corpora/stock-aapl-1min/AAPL_1min.csv',
    /** Split by time only: the first five trading days train, the sixth is dev, the seventh test. */
    trainDays: ['2024-05-09', '2024-05-10', '2024-05-13', '2024-05-14', '2024-05-15'],
    devDays: ['2024-05-16'],
    testDays: ['2024-05-17'],
  },
  /**
   * GRU H=32 over windows of T=30 minutes; K minutes ahead (`--horizon K`). No channel is
   * centred on its window mean: dev was better without it (`--model.centre=[1]` centres the log
   * volume, the library's default, which helps on the test day only).
   */
  model: { ...forecasterDefaults, horizon: 5, centre: [] } as ForecasterConfig,
  train: {
    epochs: 30,
    batchSize: 64,
    learningRate: 0.003,
    finalLearningRate: 0.0003,
    clipNorm: 1,
    /** 'mae' fits the median, which the MAE bar rewards; 'mse' the mean. */
    loss: 'mae' as RegressionLoss,
    seed: 1,
  },
  /** Candidate AR orders τ; the one with the lowest dev one-step MSE is kept, per target. */
  ar: { orders: [1, 2, 3, 4, 5, 10, 15, 20, 30, 45, 60] },
};

export type StockConfig = typeof config;
