// The shapes corpus: the caption grammar's relation rule, and the committed corpus against it.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { canonicalCaption, mirrorCaption, references, relation, unambiguous, type PlacedShape } from '../../recipes/shapes-caption/grammar.ts';
import { apart, generate, sampleSplit, testCombinations } from '../../recipes/shapes-caption/generate.ts';
import { mulberry32 } from '../../src/random.ts';

const at = (kind: PlacedShape['kind'], colour: PlacedShape['colour'], x: number, y: number, size = 14): PlacedShape => ({ kind, colour, x, y, size });

describe('relation rule', () => {
  it('reads left of / right of when |dx| ≥ |dy|, from the first-named shape to the second', () => {
    expect(relation({ x: 10, y: 30 }, { x: 40, y: 32 })).toBe('left of'); // dx = −30, dy = −2
    expect(relation({ x: 40, y: 32 }, { x: 10, y: 30 })).toBe('right of');
  });

  it('reads above / below when |dx| < |dy|, with y pointing down', () => {
    expect(relation({ x: 30, y: 10 }, { x: 32, y: 50 })).toBe('above'); // dy = −40
    expect(relation({ x: 32, y: 50 }, { x: 30, y: 10 })).toBe('below');
  });

  it('breaks a tie |dx| = |dy| horizontally', () => {
    expect(relation({ x: 20, y: 10 }, { x: 10, y: 20 })).toBe('right of'); // dx = 10, dy = −10
  });

  it('calls a layout unambiguous when the larger offset is ≥ 1.5 × the smaller + 6 px', () => {
    expect(unambiguous({ x: 0, y: 0 }, { x: 20, y: 10 })).toBe(false); // 20 < 21
    expect(unambiguous({ x: 0, y: 0 }, { x: 21, y: 10 })).toBe(true);
    expect(unambiguous({ x: 5, y: 5 }, { x: 5, y: 11 })).toBe(true); // 6 ≥ 0 + 6
  });
});

describe('captions', () => {
  const circle = at('circle', 'red', 10, 30);
  const square = at('square', 'blue', 45, 34);
  it('lists both orders of a two-shape image as references, one caption for one shape', () => {
    expect(references([circle, square])).toEqual(['a red circle left of a blue square', 'a blue square right of a red circle']);
    expect(references([square])).toEqual(['a blue square']);
  });

  it('trains on the reading order (left of / above) whichever order the layout lists', () => {
    expect(canonicalCaption([square, circle])).toBe('a red circle left of a blue square');
    expect(canonicalCaption([at('triangle', 'green', 30, 50), at('circle', 'yellow', 28, 10)])).toBe('a yellow circle above a green triangle');
  });

  it('mirrors a caption left–right by swapping the shapes of left of / right of', () => {
    expect(mirrorCaption('a red circle left of a blue square')).toBe('a blue square left of a red circle');
    expect(mirrorCaption('a red circle above a blue square')).toBe('a red circle above a blue square');
    expect(mirrorCaption('a green triangle')).toBe('a green triangle');
  });
});

describe('generator', () => {
  it('places shapes apart, unambiguously, inside the image, with test combinations only in test', () => {
    const held = testCombinations(1);
    expect(held.size).toBe(58); // a fifth of 12 · 12 · 2 = 288
    for (const split of ['train', 'test']) {
      for (const e of sampleSplit(split, 200, held, mulberry32(9))) {
        for (const s of e.shapes) {
          expect(s.size).toBeGreaterThanOrEqual(12);
          expect(s.size).toBeLessThanOrEqual(22);
          expect(s.x - s.size / 2).toBeGreaterThan(0);
          expect(s.y + s.size / 2).toBeLessThan(64);
        }
        if (e.shapes.length === 2) {
          const [a, b] = e.shapes;
          expect(apart(a, b)).toBe(true);
          expect(unambiguous(a, b)).toBe(true);
          expect(held.has(e.text)).toBe(split === 'test');
        } else {
          expect(split).toBe('train');
        }
      }
    }
  });

  it('writes the same corpus twice from the same seed', () => {
    const [a, b] = [0, 1].map(() => mkdtempSync(join(tmpdir(), 'sori-shapes-')));
    for (const out of [a, b]) generate({ out, counts: { train: 6, test: 3 }, seed: 4 });
    for (const f of ['train/references', 'test/layouts', 'png/train-6.png', 'png/test-3.png']) {
      expect(readFileSync(join(a, f)).equals(readFileSync(join(b, f)))).toBe(true);
    }
  });
});

describe('committed corpus (corpora/shapes)', () => {
  const root = join(import.meta.dirname, '../../corpora/shapes');
  const table = (split: string, file: string) =>
    readFileSync(join(root, split, file), 'utf8').trim().split('\n').map((l) => [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1)]);

  it('has exactly the lists the generator draws (layouts, texts, references) for seed 1', () => {
    const held = testCombinations(1);
    Object.entries({ train: 2000, dev: 300, test: 300 }).forEach(([split, count], k) => {
      const examples = sampleSplit(split, count, held, mulberry32(1 * 1009 + k));
      expect(table(split, 'text')).toEqual(examples.map((e) => [e.id, e.text]));
      expect(table(split, 'references')).toEqual(examples.flatMap((e) => e.references.map((r) => [e.id, r])));
    });
  });

  it('gives every image all its correct captions by the relation rule, from its layout', () => {
    for (const split of ['train', 'dev', 'test']) {
      const refs = new Map<string, string[]>();
      for (const [id, r] of table(split, 'references')) refs.set(id, [...(refs.get(id) ?? []), r]);
      for (const [id, json] of table(split, 'layouts')) {
        const shapes = JSON.parse(json) as PlacedShape[];
        expect(refs.get(id)).toEqual(references(shapes));
      }
    }
  });

  it('keeps test combinations out of train and dev', () => {
    const seen = new Set([...table('train', 'text'), ...table('dev', 'text')].map(([, t]) => t));
    for (const [, t] of table('test', 'text')) expect(seen.has(t)).toBe(false);
  });

  it('stores 64×64 PNG files for the lists', () => {
    for (const [id, path] of table('test', 'images.scp').slice(0, 5)) {
      expect(path).toBe(`png/${id}.png`);
      expect(existsSync(join(root, path))).toBe(true);
      const png = PNG.sync.read(readFileSync(join(root, path)));
      expect([png.width, png.height]).toEqual([64, 64]);
    }
  });
});

describe('scoring (stage 4)', () => {
  it('counts a caption that equals any reference as exact, and BLEU-4 uses all references', async () => {
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const { scoreSet } = await import('../../recipes/shapes-caption/evaluate.ts');
    const { readImageSet } = await import('../../recipes/shapes-caption/data.ts');
    const dir = mkdtempSync(join(tmpdir(), 'sori-score-'));
    mkdirSync(join(dir, 'set'));
    writeFileSync(join(dir, 'set', 'images.scp'), 'a img/a.png\nb img/b.png\n');
    writeFileSync(join(dir, 'set', 'references'), 'a a red circle left of a blue square\na a blue square right of a red circle\nb a green triangle\n');
    const set = readImageSet(dir, 'set');
    expect(set.references).toEqual([['a red circle left of a blue square', 'a blue square right of a red circle'], ['a green triangle']]);
    writeFileSync(join(dir, 'hyp.txt'), 'a a blue square right of a red circle\nb a green triangle\n');
    const full = scoreSet(set, join(dir, 'hyp.txt'));
    expect(full.exact).toBe(1);
    expect(full.bleu).toBeCloseTo(100, 9);
    writeFileSync(join(dir, 'hyp2.txt'), 'a a red circle left of a blue square\n'); // right; b missing: an empty caption
    const half = scoreSet(set, join(dir, 'hyp2.txt'));
    expect(half.exact).toBe(0.5);
    expect(half.bleu).toBeLessThan(100);
  });
});
