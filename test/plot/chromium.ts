/**
 * Headless Chromium checks (Debian's `chromium`, driven by puppeteer-core as test/browser does): pages load without
 * console errors, and Vega-Lite specs render in the browser from the same JSON Node renders.
 *
 *   npx tsx test/plot/chromium.ts exp/annyeong/report.html exp/toy-translation/report.html
 *
 * checks report pages from the command line (exit code 1 on any error).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser } from 'puppeteer-core';

export const CHROMIUM = process.env.SORI_CHROMIUM ?? '/usr/bin/chromium';

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

export async function launch(): Promise<Browser> {
  return puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'] });
}

/** Console errors and uncaught page errors while loading each file, by path (empty: clean). */
export async function pageErrors(browser: Browser, paths: readonly string[]): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const path of paths) {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`page: ${(e as Error).message}`));
    page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
    await page.goto(pathToFileURL(resolve(path)).href, { waitUntil: 'load' });
    const svgs = (await page.$$('svg')).length;
    if (svgs === 0) errors.push('no <svg> on the page');
    out[path] = errors;
    await page.close();
  }
  return out;
}

/**
 * Render Vega-Lite specs in the browser (vega and vega-lite's own browser bundles from
 * node_modules, canvas text measurement) and return each SVG text.
 */
export async function browserSvgs(browser: Browser, specs: readonly object[]): Promise<{ svgs: string[]; errors: string[] }> {
  const require = createRequire(import.meta.url);
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push((e as Error).message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.setContent('<!DOCTYPE html><html><body></body></html>');
  await page.addScriptTag({ content: readFileSync(resolve(require.resolve('vega'), '../../build/vega.min.js'), 'utf8') });
  await page.addScriptTag({ content: readFileSync(resolve(require.resolve('vega-lite'), '../../build/vega-lite.min.js'), 'utf8') });
  const svgs = await page.evaluate(async (specs) => {
    const w = window as unknown as { vega: any; vegaLite: any };
    const out: string[] = [];
    for (const spec of specs) {
      const view = new w.vega.View(w.vega.parse(w.vegaLite.compile(spec).spec), { renderer: 'none' });
      out.push(await view.toSVG());
      view.finalize();
    }
    return out;
  }, specs as object[]);
  await page.close();
  return { svgs, errors };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const paths = process.argv.slice(2);
  if (paths.length === 0) throw new Error('give the report.html files to check');
  const browser = await launch();
  const result = await pageErrors(browser, paths);
  await browser.close();
  let bad = 0;
  for (const [path, errors] of Object.entries(result)) {
    console.log(`${path}: ${errors.length === 0 ? 'loads without console errors' : errors.join('; ')}`);
    bad += errors.length;
  }
  process.exitCode = bad > 0 ? 1 : 0;
}
