#!/usr/bin/env node
// The `sori` command. Installed from npm, it runs the compiled CLI (dist/src/cli/main.js). In a
// clone (src/ present, tsx installed as a devDependency) it runs the TypeScript sources, so that
// it never runs a stale build.
import { existsSync } from 'node:fs';

const clone = existsSync(new URL('../src/cli/main.ts', import.meta.url));
if (clone) {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
} else {
  await import('../dist/src/cli/main.js');
}
