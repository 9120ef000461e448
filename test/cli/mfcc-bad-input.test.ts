/** `sori mfcc` never prints NaN statistics: audio shorter than one frame is an error naming the file. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/** A mono 16-bit 16 kHz WAV of `n` zero samples. */
function wav(n: number): Uint8Array {
  const out = new Uint8Array(44 + 2 * n);
  const v = new DataView(out.buffer);
  const ascii = (s: string, o: number) => [...s].forEach((c, i) => v.setUint8(o + i, c.charCodeAt(0)));
  ascii('RIFF', 0);
  v.setUint32(4, 36 + 2 * n, true);
  ascii('WAVE', 8);
  ascii('fmt ', 12);
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true);
  v.setUint16(22, 1, true);
  v.setUint32(24, 16000, true);
  v.setUint32(28, 32000, true);
  v.setUint16(32, 2, true);
  v.setUint16(34, 16, true);
  ascii('data', 36);
  v.setUint32(40, 2 * n, true);
  return out;
}

describe('sori mfcc', () => {
  it('refuses audio shorter than one frame instead of printing NaN statistics', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sori-mfcc-')), 'short.wav');
    writeFileSync(path, wav(100));
    const r = spawnSync(process.execPath, [resolve('bin/sori.js'), 'mfcc', path], { encoding: 'utf8' });
    expect(r.stdout).not.toMatch(/NaN/);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/short\.wav: no frames: 0\.006 s of audio is shorter than one 25 ms frame/);
  });
});
