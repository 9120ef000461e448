// The layout rules of the code base, checked on its import graph: which module of src/ may use
// which, and that recipes and the CLI use the package entry only.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** The relative imports of `file`, as paths from the repository root. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => relative(root, resolve(dirname(file), m[1])));
}

/** src/NAME/… → NAME; src/NAME.ts → NAME. */
const moduleOf = (path: string) => path.split('/')[1].replace(/\.ts$/, '');

/**
 * What each module of src/ may import besides itself: lower layers only, so the graph has no
 * cycle and nothing climbs back up. (index is the public entry, browser its browser part; cli uses only index.)
 */
const ALLOWED: Record<string, string[]> = {
  check: [],
  random: [],
  native: [],
  io: [],
  backend: ['native'],
  text: ['check', 'io'],
  metrics: ['check'],
  audio: ['check', 'native', 'backend', 'io'],
  nn: ['check', 'native', 'backend'],
  rnn: ['check', 'native', 'backend', 'nn'],
  ctc: ['check', 'native', 'nn', 'rnn', 'io', 'audio', 'text', 'backend'],
  seq2seq: ['check', 'nn', 'rnn', 'io', 'text', 'backend', 'native'],
  forecast: ['check', 'nn', 'rnn', 'io'],
  train: ['check', 'io', 'random', 'backend'],
  recipe: ['check', 'io', 'train'],
  classify: ['check', 'nn', 'rnn', 'io', 'text', 'random', 'backend'],
  image: ['check', 'nn', 'backend', 'io'],
  caption: ['check', 'nn', 'rnn', 'io', 'text', 'backend', 'seq2seq', 'image'],
  // spec builders import nothing; ctc-pictures runs a CTC model, write-report writes files
  plot: ['check', 'io', 'audio', 'ctc', 'text'],
  cli: ['index'],
};

describe('architecture', () => {
  const srcFiles = files(join(root, 'src'));

  it('every module of src/ has a rule', () => {
    const modules = new Set(srcFiles.map((f) => moduleOf(relative(root, f))).filter((m) => !['index', 'browser', 'bundle'].includes(m)));
    expect([...modules].filter((m) => !(m in ALLOWED))).toEqual([]);
  });

  it('each module of src/ imports only the modules below it', () => {
    const breaches: string[] = [];
    for (const file of srcFiles) {
      const from = moduleOf(relative(root, file));
      if (['index', 'browser', 'bundle'].includes(from)) continue; // the entries re-export every module
      for (const target of importsOf(file)) {
        if (!target.startsWith('src/')) {
          breaches.push(`${relative(root, file)} imports ${target}, outside src/`);
          continue;
        }
        const to = moduleOf(target);
        if (to !== from && !ALLOWED[from]?.includes(to)) breaches.push(`${relative(root, file)} (${from}) imports ${target} (${to})`);
      }
    }
    expect(breaches).toEqual([]);
  });

  it('recipes use the library only through its entry, src/index.ts', () => {
    const breaches = files(join(root, 'recipes')).flatMap((file) =>
      importsOf(file)
        .filter((target) => target.startsWith('src/') && target !== 'src/index.ts')
        .map((target) => `${relative(root, file)} imports ${target}`),
    );
    expect(breaches).toEqual([]);
  });

  it('no file of src/ or recipes/ passes 400 lines', () => {
    const long = [...srcFiles, ...files(join(root, 'recipes'))]
      .filter((f) => !f.endsWith('.wasm.ts'))
      .map((f) => [relative(root, f), readFileSync(f, 'utf8').split('\n').length] as const)
      .filter(([, n]) => n > 400);
    expect(long).toEqual([]);
  });
});
