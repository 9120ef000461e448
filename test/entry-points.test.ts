// The package's two entries: src/browser.ts runs in a browser (nothing it reaches uses Node), and
// src/index.ts, the Node entry, is all of it plus the Node-only parts.
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as browser from '../src/browser.ts';
import * as node from '../src/index.ts';

const root = resolve(import.meta.dirname, '..');

/** What marks a file as Node-only: a Node built-in, a terminal/CLI library, or `process`. */
function nodeOnlyUse(text: string): string | null {
  const specifiers = [...text.matchAll(/^\s*(?:import|export)[^'";]*?from\s*'([^']+)'|import\(\s*'([^']+)'\s*\)/gm)].map(
    (m) => m[1] ?? m[2],
  );
  const lib = specifiers.find((s) => s.startsWith('node:') || s === 'cli-progress' || s === 'yargs' || s.startsWith('yargs/'));
  if (lib) return `imports ${lib}`;
  // `process` is allowed behind a `typeof process` check (initBackend, embedded modules).
  const bare = text
    .split('\n')
    .filter((l) => !/typeof process/.test(l) && !/^\s*(\*|\/\/)/.test(l))
    .find((l) => /\bprocess\.(env|argv|stdout|stderr|pid|exit|cwd)\b/.test(l));
  return bare ? `reads process: '${bare.trim()}'` : null;
}

/** The chain of imports from `file` to its first Node-only use, or null. */
function nodeOnlyChain(file: string, seen = new Set<string>()): string | null {
  if (seen.has(file)) return null;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  const own = nodeOnlyUse(text);
  if (own) return `${relative(root, file)} ${own}`;
  for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
    const chain = nodeOnlyChain(resolve(dirname(file), m[1]), seen);
    if (chain) return `${relative(root, file)} → ${chain}`;
  }
  return null;
}

describe('entry points', () => {
  it('nothing the browser entry imports, however deep, uses Node (node:*, cli-progress, yargs, process)', () => {
    expect(nodeOnlyChain(join(root, 'src/browser.ts'))).toBeNull();
  });

  it('the check finds a Node-only file: src/index.ts reaches node:fs', () => {
    expect(nodeOnlyChain(join(root, 'src/index.ts'))).toMatch(/imports node:fs/);
  });

  it('the Node entry exports everything the browser entry does', () => {
    expect(Object.keys(browser).filter((name) => !(name in node))).toEqual([]);
  });

  it("loadAudio takes a path in Node and bytes in the browser (the Node entry's shadows the browser's)", () => {
    expect(node.loadAudio).not.toBe(browser.loadAudio);
    expect(browser.loadAudio).toBe(browser.decodeAudio);
  });
});
