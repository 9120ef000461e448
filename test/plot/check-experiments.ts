/**
 * The picture bars of issue 17 for finished experiments:
 *
 *   npx tsx test/plot/check-experiments.ts exp/annyeong exp/toy-translation exp/tatoeba
 *
 * For each directory: every plots/*.svg parses (resvg reads it), every plots/*.png decodes, is
 * twice its SVG's size (svgToPng's default scale) and is not blank (more than one colour in the
 * middle half, or else more than one chromatic colour in the whole picture), and report.html loads in headless Chromium without console errors (skipped,
 * and said, without Debian's chromium). Exit code 1 on any failure.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { PNG } from 'pngjs';
import { chromiumAvailable, launch, pageErrors } from './chromium.ts';

const dirs = process.argv.slice(2);
if (dirs.length === 0) throw new Error('give experiment directories (exp/NAME)');
let failures = 0;
const fail = (msg: string) => {
  failures++;
  console.log(`  FAIL ${msg}`);
};
for (const dir of dirs) {
  const plots = join(dir, 'plots');
  if (!existsSync(plots)) {
    fail(`${plots} does not exist`);
    continue;
  }
  const svgs = readdirSync(plots).filter((f) => f.endsWith('.svg'));
  console.log(`${dir}: ${svgs.length} pictures (${svgs.map((f) => f.slice(0, -4)).join(', ')})`);
  for (const f of svgs) {
    const svg = readFileSync(join(plots, f), 'utf8');
    let size: { width: number; height: number };
    try {
      size = new Resvg(svg);
    } catch (err) {
      fail(`${f} does not parse: ${(err as Error).message}`);
      continue;
    }
    const pngPath = join(plots, f.replace(/\.svg$/, '.png'));
    if (!existsSync(pngPath)) {
      fail(`${pngPath} is missing`);
      continue;
    }
    const png = PNG.sync.read(readFileSync(pngPath));
    if (png.width !== Math.round(2 * size.width) || png.height !== Math.round(2 * size.height)) {
      fail(`${pngPath} is ${png.width} × ${png.height}, expected ${2 * size.width} × ${2 * size.height}`);
    }
    const seen = new Set<number>();
    for (let y = Math.floor(png.height / 4); y < (3 * png.height) / 4; y++) {
      for (let x = Math.floor(png.width / 4); x < (3 * png.width) / 4; x++) seen.add(png.data.readUInt32BE((y * png.width + x) * 4));
    }
    // a heat map whose weight sits in one column can fill the middle with one colour: then the
    // picture must hold at least two chromatic (non-grey) colours somewhere
    if (seen.size < 2) {
      const chromatic = new Set<number>();
      for (let i = 0; i < png.data.length; i += 4) {
        const [r, g, b] = [png.data[i], png.data[i + 1], png.data[i + 2]];
        if (Math.max(r, g, b) - Math.min(r, g, b) > 24) chromatic.add((r << 16) | (g << 8) | b);
      }
      if (chromatic.size < 2) fail(`${pngPath} is blank: one colour in its middle half, ${chromatic.size} chromatic colours in all`);
    }
  }
  console.log(`  SVGs parse, PNGs decode at 2× size and are not blank${failures ? ' (but see the failures)' : ''}`);
}
const reports = dirs.map((d) => join(d, 'report.html')).filter((p) => existsSync(p) || (fail(`${p} is missing`), false));
if (chromiumAvailable()) {
  const browser = await launch();
  for (const [path, errors] of Object.entries(await pageErrors(browser, reports))) {
    if (errors.length) fail(`${path}: ${errors.join('; ')}`);
    else console.log(`${path}: loads in headless Chromium without console errors`);
  }
  await browser.close();
} else {
  console.log('chromium not installed: report pages not checked in a browser');
}
process.exitCode = failures > 0 ? 1 : 0;
