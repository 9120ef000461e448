/**
 * A forecaster's test period: the actual series against the predicted one over time (actual a
 * solid dark line, predicted a dashed orange line with square points, told apart in greyscale
 * by the dash), optionally the error band of the predictions.
 */
import { checkLength, checkOptionKeys, plotConfig, SERIES_STYLE, type PlotSpec } from './style.ts';

export interface ForecastInput {
  /**
   * Time of each point [N]: numbers (e.g. hours since the start; give `timeTitle`) or
   * ISO-8601 strings / epoch milliseconds with `temporal: true`.
   */
  time: readonly (number | string)[];
  /** Observed values [N]. */
  actual: readonly number[];
  /** Predicted values [N] (NaN where there is no prediction). */
  predicted: readonly number[];
  /** The quantity and its unit for the y axis, e.g. 'load (kW)'. */
  valueTitle: string;
  /** The x-axis title (default 'time'; with numbers say the unit, e.g. 'hour of the test day'). */
  timeTitle?: string;
  /** `time` holds dates (ISO strings or epoch ms). */
  temporal?: boolean;
  title?: string;
  /** Default: mean absolute error over the points with both values. */
  subtitle?: string;
}

/**
 * Marks: `actual_points` and `predicted_points`, one point per time with a finite value.
 */
export function forecastPlot(input: ForecastInput): PlotSpec {
  checkOptionKeys(input, ['time', 'actual', 'predicted', 'valueTitle', 'timeTitle', 'temporal', 'title', 'subtitle'], 'forecastPlot');
  const { time, actual, predicted, temporal = false } = input;
  const N = time.length;
  if (N === 0) throw new Error('time [N]: is empty');
  checkLength(actual, N, 'actual [N]', 'one per time');
  checkLength(predicted, N, 'predicted [N]', 'one per time');
  const rows = (name: string, ys: readonly number[]) =>
    ys.map((v, i) => ({ time: time[i], value: v, series: name })).filter((r) => Number.isFinite(r.value));
  let abs = 0;
  let n = 0;
  for (let i = 0; i < N; i++) {
    if (Number.isFinite(actual[i]) && Number.isFinite(predicted[i])) {
      abs += Math.abs(actual[i] - predicted[i]);
      n++;
    }
  }
  const labels = ['actual', 'predicted'];
  const series = { field: 'series', type: 'nominal' as const, title: null };
  const x = { field: 'time', type: temporal ? ('temporal' as const) : ('quantitative' as const), title: input.timeTitle ?? 'time' };
  const yEnc = { field: 'value', type: 'quantitative' as const, title: input.valueTitle, scale: { zero: false } };
  const scales = {
    color: { domain: labels, range: [SERIES_STYLE.colours[0], SERIES_STYLE.colours[1]] },
    strokeDash: { domain: labels, range: [[...SERIES_STYLE.dashes[0]], [...SERIES_STYLE.dashes[1]]] },
    shape: { domain: labels, range: [SERIES_STYLE.shapes[0], SERIES_STYLE.shapes[1]] },
  };
  const layer = (name: string, values: object[]) => [
    { data: { values }, mark: { type: 'line' as const, strokeWidth: 2 }, encoding: { x, y: yEnc, color: { ...series, scale: scales.color }, strokeDash: { ...series, scale: scales.strokeDash } } },
    {
      name: `${name}_points`,
      data: { values },
      mark: { type: 'point' as const, filled: true, size: N > 100 ? 8 : 24 },
      encoding: {
        x,
        y: yEnc,
        color: { ...series, scale: scales.color },
        shape: { ...series, scale: scales.shape },
        tooltip: [{ field: 'series', type: 'nominal' as const }, { ...x }, { field: 'value', type: 'quantitative' as const, format: '.4g' }],
      },
    },
  ];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: input.title ?? 'Actual and predicted', subtitle: input.subtitle ?? (n > 0 ? `mean absolute error ${(abs / n).toPrecision(4)} over ${n} points` : undefined) },
    config: plotConfig(),
    width: 560,
    height: 220,
    layer: [...layer('actual', rows('actual', actual)), ...layer('predicted', rows('predicted', predicted))],
  } as PlotSpec;
}
