// The classifier, forecaster and captioner model directories read their JSON files as the
// recogniser's and translator's do: regular files only, no symbolic links, and errors that name
// the file without quoting what it holds.
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCaptioner, loadForecaster, loadTextClassifier } from '../../src/index.ts';

const loaders: [string, (dir: string) => unknown][] = [
  ['loadTextClassifier', loadTextClassifier],
  ['loadForecaster', loadForecaster],
  ['loadCaptioner', loadCaptioner],
];

/** A directory whose every JSON file holds `text`. */
function junkDir(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sori-family-dir-'));
  for (const name of ['model.json', 'vocabulary.json']) writeFileSync(join(dir, name), text);
  return dir;
}

const messageOf = (load: (dir: string) => unknown, dir: string) => {
  try {
    load(dir);
  } catch (err) {
    return (err as Error).message;
  }
  return '(no error)';
};

describe('model directories of the classifier, forecaster and captioner', () => {
  for (const [name, load] of loaders) {
    it(`${name}: invalid JSON is named by file, never quoted`, () => {
      const message = messageOf(load, junkDir('root:x:0:0:secret'));
      expect(message).toMatch(/\.json' is not valid JSON/);
      expect(message).not.toContain('secret');
    });

    it(`${name}: a symlinked model.json is refused`, () => {
      const dir = junkDir('{}');
      const target = join(mkdtempSync(join(tmpdir(), 'sori-secret-')), 'shadow');
      writeFileSync(target, '{"secret": true}');
      const link = join(dir, 'model.json');
      rmSync(link);
      symlinkSync(target, link);
      const message = messageOf(load, dir);
      expect(message).toMatch(/model\.json' is a symbolic link: model files must be regular files/);
      expect(message).not.toContain('secret');
    });
  }
});
