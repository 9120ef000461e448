/**
 * A classifier's confusion matrix: actual class down, predicted class across, each cell the
 * count of test items, coloured by its share of the actual class's row (so a rare class's
 * errors show as clearly as a common one's), the count written in the cell.
 */
import { checkLength, checkOptionKeys, HEAT_SCHEME, matrixShape, plotConfig, type PlotSpec, type Rows } from './style.ts';

export interface ConfusionMatrixInput {
  /** Class names [K]. */
  labels: readonly string[];
  /** counts[i][j] [K, K]: items of actual class i predicted as class j. */
  counts: Rows;
  title?: string;
  /** Default: accuracy and the number of items. */
  subtitle?: string;
}

/**
 * Marks: `confusion_cells` K × K rects, `confusion_counts` K × K texts.
 */
export function confusionMatrixPlot(input: ConfusionMatrixInput): PlotSpec {
  checkOptionKeys(input, ['labels', 'counts', 'title', 'subtitle'], 'confusionMatrixPlot');
  const { labels, counts } = input;
  const { rows: K, cols } = matrixShape(counts, 'counts [K, K]');
  if (cols !== K) throw new Error(`counts [K, K]: is [${K}, ${cols}], not square`);
  checkLength(labels, K, 'labels [K]', 'one per row of counts');
  const keys = keyed(labels);
  const cells: { actual: string; predicted: string; n: number; share: number }[] = [];
  let total = 0;
  let right = 0;
  for (let i = 0; i < K; i++) {
    let row = 0;
    for (let j = 0; j < K; j++) {
      const n = counts[i][j];
      if (!(Number.isFinite(n) && n >= 0)) throw new Error(`counts [K, K]: row ${i} (${labels[i]}), column ${j} is ${n}`);
      row += n;
    }
    for (let j = 0; j < K; j++) cells.push({ actual: keys[i], predicted: keys[j], n: counts[i][j], share: row > 0 ? counts[i][j] / row : 0 });
    total += row;
    right += counts[i][i];
  }
  const axis = { labelExpr: "slice(datum.value, indexof(datum.value, ':') + 1)" };
  const x = { field: 'predicted', type: 'ordinal' as const, title: 'predicted class', scale: { domain: keys }, axis: { ...axis, labelAngle: -45, orient: 'top' as const } };
  const y = { field: 'actual', type: 'ordinal' as const, title: 'actual class', scale: { domain: keys }, axis };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: input.title ?? 'Confusion matrix',
      subtitle: input.subtitle ?? `accuracy ${total > 0 ? ((100 * right) / total).toFixed(1) : '–'} % of ${total} items; colour: share of the actual class`,
    },
    config: plotConfig(),
    width: Math.max(160, 36 * K),
    height: Math.max(160, 36 * K),
    data: { values: cells },
    layer: [
      {
        name: 'confusion_cells',
        mark: { type: 'rect', stroke: '#ffffff', strokeWidth: 0.5 },
        encoding: {
          x,
          y,
          color: { field: 'share', type: 'quantitative', title: 'share of row', scale: { scheme: HEAT_SCHEME, domain: [0, 1] }, legend: { format: '.0%' } },
          tooltip: [
            { field: 'actual', type: 'nominal' },
            { field: 'predicted', type: 'nominal' },
            { field: 'n', type: 'quantitative', title: 'items' },
            { field: 'share', type: 'quantitative', format: '.1%' },
          ],
        },
      },
      {
        name: 'confusion_counts',
        mark: { type: 'text', fontSize: 11 },
        encoding: { x, y, text: { field: 'n', type: 'quantitative' }, color: { condition: { test: 'datum.share > 0.55', value: '#000000' }, value: '#ffffff' } },
      },
    ],
  } as PlotSpec;
}

const keyed = (labels: readonly string[]) => labels.map((w, i) => `${i}:${w}`);
