/**
 * A spectrogram or MFCC heat map of one utterance: frames across (seconds), mel bins or
 * cepstral coefficients up, with the transcript in the subtitle and, when a frame-level
 * segmentation is given (e.g. from the forced alignment), each label written above its frames.
 */
import { checkOptionKeys, HEAT_SCHEME, matrixShape, plotConfig, type PlotSpec, type Rows } from './style.ts';

/** One labelled stretch of frames [start, end). */
export interface Segment {
  label: string;
  start: number;
  end: number;
}

export interface SpectrogramInput {
  /** [T, F] per-frame features: log-mel energies (fbank) or MFCCs. */
  features: Rows;
  /** 'log-mel' (default) or 'mfcc': the y-axis and colour titles. */
  kind?: 'log-mel' | 'mfcc';
  /** Milliseconds between frames (default 10). */
  frameShiftMs?: number;
  /** The transcript, shown under the title. */
  transcript?: string;
  /** Labelled frame ranges in feature frames (see segmentsFromPath), written above the map. */
  segments?: readonly Segment[];
  title?: string;
}

/**
 * Label segments from a per-frame label path [T] (e.g. the forced alignment's classes, blanks
 * given as null): each run of one non-null label becomes a segment; `framesPerStep` converts
 * output frames to feature frames (e.g. 2 with frame stacking).
 */
export function segmentsFromPath(path: readonly (string | null)[], framesPerStep = 1): Segment[] {
  const out: Segment[] = [];
  for (let t = 0; t < path.length; t++) {
    const label = path[t];
    if (label === null) continue;
    const last = out[out.length - 1];
    if (last && last.label === label && last.end === t * framesPerStep && path[t - 1] === label) last.end = (t + 1) * framesPerStep;
    else out.push({ label, start: t * framesPerStep, end: (t + 1) * framesPerStep });
  }
  return out;
}

/**
 * The heat map of one utterance's features.
 *
 * Marks: `feature_cells` T × F rects; `segment_labels` one text per segment when given.
 */
export function spectrogramPlot(input: SpectrogramInput): PlotSpec {
  checkOptionKeys(input, ['features', 'kind', 'frameShiftMs', 'transcript', 'segments', 'title'], 'spectrogramPlot');
  const { features, kind = 'log-mel', frameShiftMs = 10, segments } = input;
  const { rows: T, cols: F } = matrixShape(features, 'features [T, F]');
  const dt = frameShiftMs / 1000;
  const cells: { t0: number; t1: number; f0: number; f1: number; v: number }[] = [];
  for (let t = 0; t < T; t++) {
    for (let f = 0; f < F; f++) {
      const v = features[t][f];
      if (!Number.isFinite(v)) throw new Error(`features [T, F]: frame ${t}, bin ${f} is ${v}`);
      cells.push({ t0: t * dt, t1: (t + 1) * dt, f0: f, f1: f + 1, v });
    }
  }
  const x = { field: 't0', type: 'quantitative' as const, title: 'time (s)', scale: { domain: [0, T * dt], nice: false }, axis: { grid: false } };
  // the segment labels sit in a band above the map: y from F to F + band
  const band = segments?.length ? Math.max(2, Math.round(F / 8)) : 0;
  const tickStep = F > 30 ? 10 : 5;
  const y = {
    field: 'f0',
    type: 'quantitative' as const,
    title: kind === 'mfcc' ? 'cepstral coefficient' : 'mel bin (low → high frequency)',
    scale: { domain: [0, F + band], nice: false },
    axis: { grid: false, values: Array.from({ length: Math.floor(F / tickStep) + 1 }, (_, i) => i * tickStep) },
  };
  const layer: object[] = [
    {
      name: 'feature_cells',
      data: { values: cells },
      mark: { type: 'rect' },
      encoding: {
        x,
        x2: { field: 't1' },
        y,
        y2: { field: 'f1' },
        color: { field: 'v', type: 'quantitative', title: kind === 'mfcc' ? 'value' : 'log energy', scale: { scheme: HEAT_SCHEME } },
      },
    },
  ];
  if (segments?.length) {
    const values = segments.map((s) => ({ label: s.label, t0: s.start * dt, t1: s.end * dt, mid: ((s.start + s.end) / 2) * dt, f0: F, f1: F + band, fm: F + band / 2 }));
    layer.push(
      { data: { values }, mark: { type: 'rect', color: '#f2f2f2', stroke: '#888888', strokeWidth: 0.5 }, encoding: { x, x2: { field: 't1' }, y, y2: { field: 'f1' } } },
      {
        name: 'segment_labels',
        data: { values },
        mark: { type: 'text', fontSize: 14, baseline: 'middle', color: '#000000' },
        encoding: { x: { ...x, field: 'mid' }, y: { ...y, field: 'fm' }, text: { field: 'label' } },
      },
    );
  }
  const spec = { width: Math.max(320, Math.min(900, 4 * T)), height: Math.max(140, Math.min(280, 8 * (F + band))), layer };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: input.title ?? (kind === 'mfcc' ? 'MFCCs' : 'Log-mel spectrogram'),
      subtitle: input.transcript !== undefined ? `“${input.transcript}”` : undefined,
    },
    config: plotConfig(),
    ...spec,
  } as PlotSpec;
}
