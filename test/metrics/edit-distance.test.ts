import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { editDistance } from '../../src/metrics/edit-distance.ts';

const chars = (s: string): string[] => [...s];

/** Every alignment of a and b, enumerated recursively (no table): the set of its (S, D, I). */
function allAlignmentCounts(a: string[], b: string[]): { s: number; d: number; i: number }[] {
  if (a.length === 0) return [{ s: 0, d: 0, i: b.length }];
  if (b.length === 0) return [{ s: 0, d: a.length, i: 0 }];
  const out: { s: number; d: number; i: number }[] = [];
  for (const c of allAlignmentCounts(a.slice(1), b.slice(1))) out.push({ ...c, s: c.s + (a[0] === b[0] ? 0 : 1) });
  for (const c of allAlignmentCounts(a.slice(1), b)) out.push({ ...c, d: c.d + 1 });
  for (const c of allAlignmentCounts(a, b.slice(1))) out.push({ ...c, i: c.i + 1 });
  return out;
}

describe('editDistance', () => {
  it('kitten → sitting is 3: two substitutions (k→s, e→i) and one insertion (g)', () => {
    expect(editDistance(chars('kitten'), chars('sitting'))).toEqual({
      distance: 3, substitutions: 2, deletions: 0, insertions: 1, hits: 4,
    });
  });

  it('sitting → kitten is 3: two substitutions and one deletion', () => {
    expect(editDistance(chars('sitting'), chars('kitten'))).toEqual({
      distance: 3, substitutions: 2, deletions: 1, insertions: 0, hits: 4,
    });
  });

  it('flaw → lawn is 2: delete f, insert n', () => {
    expect(editDistance(chars('flaw'), chars('lawn'))).toEqual({
      distance: 2, substitutions: 0, deletions: 1, insertions: 1, hits: 3,
    });
  });

  it('identical sequences have distance 0 and all hits', () => {
    expect(editDistance(chars('안녕하세요'), chars('안녕하세요'))).toEqual({
      distance: 0, substitutions: 0, deletions: 0, insertions: 0, hits: 5,
    });
  });

  it('an empty hypothesis deletes every reference token', () => {
    expect(editDistance(chars('안녕'), [])).toEqual({ distance: 2, substitutions: 0, deletions: 2, insertions: 0, hits: 0 });
  });

  it('an empty reference makes every hypothesis token an insertion', () => {
    expect(editDistance([], chars('하세요'))).toEqual({ distance: 3, substitutions: 0, deletions: 0, insertions: 3, hits: 0 });
  });

  it('two empty sequences have distance 0', () => {
    expect(editDistance([], [])).toEqual({ distance: 0, substitutions: 0, deletions: 0, insertions: 0, hits: 0 });
  });

  it('prefers substitutions on ties: ab against ba counts two substitutions', () => {
    expect(editDistance(chars('ab'), chars('ba'))).toEqual({ distance: 2, substitutions: 2, deletions: 0, insertions: 0, hits: 0 });
  });

  it('compares Hangul syllables as whole tokens: 안녕하세요 → 안녕 하세요 is one insertion', () => {
    expect(editDistance(chars('안녕하세요'), chars('안녕 하세요'))).toEqual({
      distance: 1, substitutions: 0, deletions: 0, insertions: 1, hits: 5,
    });
  });

  it('works on word tokens: one substituted word', () => {
    expect(editDistance(['안녕', '하세요'], ['안녕', '세요'])).toEqual({
      distance: 1, substitutions: 1, deletions: 0, insertions: 0, hits: 1,
    });
  });

  it('matches torchaudio.functional.edit_distance on 300 random Hangul pairs', () => {
    const fixture = JSON.parse(readFileSync(new URL('../fixtures/metrics/edit-distance.json', import.meta.url), 'utf8')) as {
      pairs: { reference: string; hypothesis: string; distance: number }[];
    };
    expect(fixture.pairs.length).toBe(300);
    for (const { reference, hypothesis, distance } of fixture.pairs) {
      expect(editDistance(chars(reference), chars(hypothesis)).distance, `${reference} | ${hypothesis}`).toBe(distance);
    }
  });

  it('reports the counts of a minimal alignment found by enumerating all alignments', () => {
    const cases = ['', '안', '안녕', '녕안', '안안녕', '하세요', '세요요', '안녕하세'];
    for (const a of cases) {
      for (const b of cases) {
        const counts = editDistance(chars(a), chars(b));
        const alignments = allAlignmentCounts(chars(a), chars(b));
        const best = Math.min(...alignments.map((c) => c.s + c.d + c.i));
        expect(counts.distance, `${a} | ${b}`).toBe(best);
        const minimal = alignments.filter((c) => c.s + c.d + c.i === best);
        expect(minimal, `${a} | ${b}`).toContainEqual({ s: counts.substitutions, d: counts.deletions, i: counts.insertions });
        expect(counts.hits + counts.substitutions + counts.deletions).toBe([...a].length);
        expect(counts.hits + counts.substitutions + counts.insertions).toBe([...b].length);
      }
    }
  });
});
