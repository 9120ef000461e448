import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The spec builders and the report page run in a browser too: they import only each other and
// vega-lite's types. (render.ts and write-report.ts are the Node side; ctc-pictures runs a model.)
const BROWSER_SAFE = ['style', 'curves', 'spectrogram', 'posteriorgram', 'trellis', 'attention', 'confusion', 'forecast', 'report'];

describe('src/plot spec builders', () => {
  for (const name of BROWSER_SAFE) {
    it(`${name}.ts imports nothing but other builders and vega-lite types`, () => {
      const text = readFileSync(join(import.meta.dirname, '../../src/plot', `${name}.ts`), 'utf8');
      const imports = [...text.matchAll(/^import (type )?.*? from '([^']+)';$/gm)].map((m) => `${m[1] ?? ''}${m[2]}`);
      expect(imports.length).toBe((text.match(/\bfrom '/g) ?? []).length); // every import was read
      const bad = imports.filter((i) => !(i === 'type vega-lite' || /^(type )?\.\/(style|posteriorgram|spectrogram|trellis)\.ts$/.test(i)));
      expect(bad).toEqual([]);
    });
  }
});
