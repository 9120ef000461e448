/**
 * What ties a committed WebAssembly module (src/native/NAME.wasm.ts) to its C source: a SHA-256
 * over the source file NAME.c, every header it includes (`#include "x.h"`, followed recursively),
 * in the order first reached, and the compiler command that built it,
 *
 *   sha256( for each file: "file NAME\n" + bytes + "\n" ;  "command " + command + "\n" )
 *
 * `npm run build:native` (build.sh) writes the command and this hash into the header of each
 * generated NAME.wasm.ts; a test recomputes the hash from the sources (no compiler needed) and
 * fails, naming the file, when a source or the command changed without a rebuild.
 *
 *   npx tsx src/native/source-hash.ts NAME "COMMAND"     prints the hash (build.sh runs this)
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** src/native/, where the C sources and the generated modules live. */
export const NATIVE_DIR = dirname(fileURLToPath(import.meta.url));

/** NAME.c and the headers it includes, recursively, in the order first reached. */
export function nativeSources(name: string, dir = NATIVE_DIR): string[] {
  const seen: string[] = [];
  const visit = (file: string) => {
    if (seen.includes(file)) return;
    const path = join(dir, file);
    if (!existsSync(path)) throw new Error(`${name}.c: included file '${file}' is not in ${dir}`);
    seen.push(file);
    for (const m of readFileSync(path, 'utf8').matchAll(/^\s*#\s*include\s+"([^"]+)"/gm)) visit(m[1]);
  };
  visit(`${name}.c`);
  return seen;
}

/** The hash of module `name`'s sources and `command` (see above), as 64 hex digits. */
export function nativeSourceHash(name: string, command: string, dir = NATIVE_DIR): string {
  const hash = createHash('sha256');
  for (const file of nativeSources(name, dir)) {
    hash.update(`file ${file}\n`);
    hash.update(readFileSync(join(dir, file)));
    hash.update('\n');
  }
  hash.update(`command ${command}\n`);
  return hash.digest('hex');
}

/** The header build.sh writes into NAME.wasm.ts: `// command: …` and `// sha256: …`, or null. */
export function readModuleHeader(name: string, dir = NATIVE_DIR): { command: string; sha256: string } | null {
  const text = readFileSync(join(dir, `${name}.wasm.ts`), 'utf8');
  const command = /^\/\/ command: (.*)$/m.exec(text)?.[1];
  const sha256 = /^\/\/ sha256: ([0-9a-f]{64})$/m.exec(text)?.[1];
  return command !== undefined && sha256 !== undefined ? { command, sha256 } : null;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [name, command] = process.argv.slice(2);
  if (!name || command === undefined) throw new Error('usage: source-hash.ts NAME "COMMAND"');
  console.log(nativeSourceHash(name, command));
}
