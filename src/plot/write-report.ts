/**
 * The last stage of a recipe: every picture to exp/NAME/plots/ (NAME.svg, NAME.png and the
 * Vega-Lite spec NAME.vl.json, which opens in the Vega editor or vega-embed) and the page
 * exp/NAME/report.html. Node only (it writes files); the spec builders and reportHtml are not.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic.ts';
import { readJsonFile, readTextFile } from '../io/read-file.ts';
import { renderSvg, svgToPng, type PngOptions } from './render.ts';
import { reportHtml } from './report.ts';
import type { PlotSpec } from './style.ts';
import { historyFile, historyPanels, trainingCurvesPlot } from './curves.ts';

/** A picture to write: its file stem, its spec and its caption. */
export interface NamedPlot {
  /** File stem, e.g. 'curves' → plots/curves.svg; letters, digits, '-', '_' and '.' only. */
  name: string;
  spec: PlotSpec;
  /** What the picture shows, one or two sentences (in the report under it). */
  caption?: string;
}

export interface ExperimentReportInput {
  /** The experiment directory (exp/NAME). */
  expDir: string;
  /** Page title (e.g. the recipe name). */
  title: string;
  plots: readonly NamedPlot[];
  /** The resolved config (e.g. the recipe's cfg). */
  config?: unknown;
  /** The results as Markdown; default: the text of exp/NAME/RESULTS.md when it exists. */
  resultsMarkdown?: string;
  subtitle?: string;
  png?: PngOptions;
}

/**
 * Write the pictures and the report of one experiment. A picture that cannot be rendered or
 * written does not stop the others or report.html (which then leaves it out); once all is
 * written, the failures are thrown as one error naming each picture and its cause.
 * @returns the paths written: report.html and each picture's SVG and PNG.
 */
export async function writeExperimentReport(input: ExperimentReportInput): Promise<{ report: string; files: string[] }> {
  const { expDir, plots } = input;
  const files: string[] = [];
  const pictures = [];
  const seen = new Set<string>();
  for (const p of plots) {
    if (!/^[\w.-]+$/.test(p.name)) throw new Error(`plot name '${p.name}': use letters, digits, '-', '_' and '.' only (it becomes a file name)`);
    if (seen.has(p.name)) throw new Error(`plot name '${p.name}' is used twice`);
    seen.add(p.name);
  }
  const failures: string[] = [];
  for (const p of plots) {
    try {
      const svg = await renderSvg(p.spec);
      const base = join(expDir, 'plots', p.name);
      writeFileAtomic(`${base}.svg`, svg);
      writeFileAtomic(`${base}.png`, svgToPng(svg, input.png));
      writeFileAtomic(`${base}.vl.json`, JSON.stringify(p.spec, null, 1) + '\n');
      files.push(`${base}.svg`, `${base}.png`);
      pictures.push({ name: p.name, svg, caption: p.caption });
    } catch (err) {
      failures.push(`picture '${p.name}': ${(err as Error).message}`);
    }
  }
  const report = join(expDir, 'report.html');
  writeFileAtomic(
    report,
    reportHtml({ title: input.title, subtitle: input.subtitle, resultsMarkdown: input.resultsMarkdown ?? resultsOf(expDir), config: input.config, pictures }),
  );
  if (failures.length > 0) {
    throw new Error(`${failures.length} of ${plots.length} pictures failed (the others and ${report} were written): ${failures.join('; ')}`);
  }
  return { report, files };
}

/** The text of exp/NAME/RESULTS.md, or undefined when there is none. */
function resultsOf(expDir: string): string | undefined {
  const path = join(expDir, 'RESULTS.md');
  return existsSync(path) ? readTextFile(path) : undefined;
}

/**
 * The training-curves picture of a run from the history trainLoop's callers write
 * (`train-history.json`: { history, bestEpoch }), with historyPanels' panels: null when the file
 * is not there (a run trained elsewhere).
 */
export function historyCurves(
  path: string,
  { name = 'curves', title, subtitle, caption, ...panels }: {
    name?: string;
    title: string;
    subtitle?: string;
    caption: string;
    lossTitle?: string;
    scoreTitle?: string;
    scoreScale?: number;
  },
): NamedPlot | null {
  if (!existsSync(path)) return null;
  const file = readJsonFile(path, { what: 'training history', as: historyFile });
  return {
    name,
    spec: trainingCurvesPlot({ history: file.history, bestEpoch: file.bestEpoch, panels: historyPanels(file.history, panels), title, subtitle }),
    caption,
  };
}
