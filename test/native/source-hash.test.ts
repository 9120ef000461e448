// The committed WebAssembly modules are tied to their C sources: each src/native/NAME.wasm.ts
// header records the compiler command and a SHA-256 of the sources (source-hash.ts), which this
// file recomputes without a compiler.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NATIVE_DIR, nativeSourceHash, nativeSources, readModuleHeader } from '../../src/native/source-hash.ts';

const modules = readdirSync(NATIVE_DIR)
  .filter((f) => f.endsWith('.c'))
  .map((f) => f.slice(0, -2));
const buildScript = readFileSync(join(NATIVE_DIR, 'build.sh'), 'utf8');
/** The flags build.sh compiles with (its FLAGS line), and those it adds for relaxed-SIMD variants. */
const buildFlags = /^FLAGS="([^"]*)"$/m.exec(buildScript)?.[1];
const fmaFlags = /^FMA_FLAGS="([^"]*)"$/m.exec(buildScript)?.[1];
/** Modules built in a second, relaxed-SIMD variant NAME-fma.wasm.ts (build.sh's FMA_MODULES). */
const fmaModules = /^FMA_MODULES="([^"]*)"$/m.exec(buildScript)?.[1].split(' ').filter(Boolean) ?? [];
/** The flags build.sh adds for shared-memory variants (threads), and the modules built so (SHARED_MODULES). */
const sharedFlags = /^SHARED_FLAGS="([^"]*)"$/m.exec(buildScript)?.[1];
const sharedModules = /^SHARED_MODULES="([^"]*)"$/m.exec(buildScript)?.[1].split(' ').filter(Boolean) ?? [];
/** Every variant build.sh writes besides NAME.wasm.ts: file name, source, flags after FLAGS. */
const variants = [
  ...fmaModules.map((name) => ({ file: `${name}-fma`, name, flags: `${fmaFlags}` })),
  ...sharedModules.map((name) => ({ file: `${name}-shared`, name, flags: `${sharedFlags}` })),
  ...sharedModules.filter((name) => fmaModules.includes(name)).map((name) => ({ file: `${name}-fma-shared`, name, flags: `${fmaFlags} ${sharedFlags}` })),
];

describe('committed WebAssembly modules match their C sources', () => {
  it('build.sh names its compiler flags in one FLAGS line, and the relaxed-SIMD ones in FMA_FLAGS', () => {
    expect(buildFlags).toMatch(/--target=wasm32/);
    expect(fmaFlags).toMatch(/-mrelaxed-simd/);
    expect(fmaModules).toContain('kernels');
    expect(sharedFlags).toMatch(/--shared-memory/);
    expect(sharedModules).toContain('kernels');
  });

  for (const name of modules) {
    it(`${name}.wasm.ts was built with build.sh's flags`, () => {
      const header = readModuleHeader(name);
      expect(header, `src/native/${name}.wasm.ts has no '// command:' and '// sha256:' header: run npm run build:native`).not.toBeNull();
      expect(header!.command.replace(/^clang [0-9.]+ /, ''), `src/native/${name}.wasm.ts: built with other flags than build.sh's`).toBe(buildFlags);
    });

    it(`${name}.wasm.ts holds the hash of ${name}.c, its headers and the command`, () => {
      const header = readModuleHeader(name)!;
      const now = nativeSourceHash(name, header.command);
      expect(
        now,
        `src/native/${name}.wasm.ts is stale: ${nativeSources(name).join(', ')} changed since it was built (run npm run build:native)`,
      ).toBe(header.sha256);
    });
  }

  for (const { file, name, flags } of variants) {
    it(`${file}.wasm.ts was built from ${name}.c with build.sh's flags and ${flags}, and is not stale`, () => {
      const header = readModuleHeader(file);
      expect(header, `src/native/${file}.wasm.ts has no '// command:' and '// sha256:' header: run npm run build:native`).not.toBeNull();
      expect(header!.command.replace(/^clang [0-9.]+ /, ''), `src/native/${file}.wasm.ts: built with other flags`).toBe(`${buildFlags} ${flags}`);
      expect(nativeSourceHash(name, header!.command), `src/native/${file}.wasm.ts is stale (run npm run build:native)`).toBe(header!.sha256);
    });
  }
});

describe('nativeSourceHash', () => {
  it('follows the includes of a source, each file once', () => {
    const files = nativeSources('kernels');
    expect(files[0]).toBe('kernels.c');
    expect(files).toEqual(expect.arrayContaining(['gemm.h', 'lstm.h', 'gru.h', 'simd.h']));
    expect(new Set(files).size).toBe(files.length);
  });

  it('changes when an included header changes, and not when an unrelated file does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sori-native-'));
    try {
      cpSync(NATIVE_DIR, dir, { recursive: true });
      const before = nativeSourceHash('audio-mfcc', 'cc', dir);
      const kernelsBefore = nativeSourceHash('kernels', 'cc', dir);
      writeFileSync(join(dir, 'gru.h'), readFileSync(join(dir, 'gru.h'), 'utf8') + '\n// edited\n');
      expect(nativeSourceHash('kernels', 'cc', dir)).not.toBe(kernelsBefore);
      expect(nativeSourceHash('audio-mfcc', 'cc', dir)).toBe(before); // audio-mfcc.c does not include gru.h
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('changes with the compiler command', () => {
    expect(nativeSourceHash('kernels', 'clang -O3')).not.toBe(nativeSourceHash('kernels', 'clang -O2'));
  });

  it('names a missing included file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sori-native-'));
    try {
      writeFileSync(join(dir, 'x.c'), '#include "missing.h"\n');
      expect(() => nativeSourceHash('x', 'cc', dir)).toThrow(/x\.c: included file 'missing\.h'/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// Opt-in (needs Debian's clang and lld): SORI_CHECK_NATIVE=1 npx vitest run test/native/source-hash.test.ts
describe.runIf(process.env.SORI_CHECK_NATIVE === '1')('rebuilding from the C sources', () => {
  it('gives the committed bytes', () => {
    expect(() => execFileSync('sh', [join(NATIVE_DIR, 'check.sh')], { stdio: 'pipe' })).not.toThrow();
  }, 120_000);
});
