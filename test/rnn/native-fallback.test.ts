// Where sori's WebAssembly SIMD kernels cannot run (here: turned off with SORI_NATIVE=0), RnnStack
// falls back to the 'fused' kernel and `sori info` says why.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';

function info(env: Record<string, string>): string {
  return execFileSync(process.execPath, ['bin/sori.js', 'info'], { env: { ...process.env, ...env }, encoding: 'utf8' });
}

describe('native kernel fallback', () => {
  it('sori info names the native kernel when it runs', () => {
    expect(info({ SORI_NATIVE: '1' })).toMatch(/^rnn\tkernel native/m);
  });
  it('with SORI_NATIVE=0 the default kernel is fused, and info says why', () => {
    expect(info({ SORI_NATIVE: '0' })).toMatch(/^rnn\tkernel fused \(native: turned off by SORI_NATIVE=0\)/m);
  });
});
